using Polaris.Testing;

namespace Polaris.Collector.Tests;

/// <summary>Summaries, batch keys and module tables go after <c>retentionDays</c>; the roll-ups stay, and answer for the
/// days whose summaries are gone (docs/collector.md, "Retention").</summary>
public class RetentionTests
{
    [Fact]
    public void Past_retention_the_summaries_go_and_the_roll_ups_still_answer()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        var now = DateTime.UtcNow;
        for (int i = 0; i < 1200; i++)
        {
            opened.Store.Ingest(SummaryFixtures.BatchOf($"r{i}", $"n{i % 30}", SummaryFixtures.Job($"n{i % 30}", $"{i % 7}", 1001, 1, now.AddMinutes(-5), ["numpy", $"own{i % 3}"])), now);
        }
        opened.Store.Fold();

        // Ninety-one days on: everything was stored on one day, now past the 90 kept.
        var pruned = opened.Store.Prune(now.AddDays(91), retentionDays: 90, rollupRetentionDays: 3650);
        var reopenedText = opened.Text();

        Assert.Equal(1200, pruned["summaries"]);
        Assert.Equal(1200, pruned["batches"]);
        Assert.Equal(3, pruned["tables"]);
        Assert.Equal(0, pruned["rollups"]);
        Assert.Equal(0, opened.Store.SummaryCount());
        Assert.Equal(1200, opened.Store.Totals().Libraries["numpy"]);
        Assert.Equal(1200, MetricsText.Value(reopenedText, "polaris_library_processes_total{library=\"numpy\"}"));
        // A pruned batch key is new again: retention must outlast the agents' spool (7 days), which it does by far.
        Assert.False(opened.Store.Ingest(SummaryFixtures.BatchOf("r0", "n0"), now.AddDays(91)).Duplicate);
    }
}
