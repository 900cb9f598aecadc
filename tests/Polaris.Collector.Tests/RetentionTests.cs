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

    [Fact]
    public void Users_and_jobs_past_the_longest_window_are_forgotten_and_the_window_gauges_keep_their_values()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        var now = DateTime.UtcNow;
        var today = now.Date.AddHours(1);
        // Fifty users of a library no one used since, forty days ago; then one user a day at the 30-day window's edges.
        for (uint uid = 100; uid < 150; uid++)
        {
            opened.Store.Ingest(SummaryFixtures.BatchOf($"old{uid}", "n1", SummaryFixtures.Job("n1", $"o{uid}", uid, 1, today.AddDays(-40), ["numpy", "oldlib"])), now);
        }
        foreach (var (uid, daysAgo) in new (uint, int)[] { (4, 30), (3, 29), (2, 5), (1, 0) })
        {
            opened.Store.Ingest(SummaryFixtures.BatchOf($"b{uid}", "n1", SummaryFixtures.Job("n1", $"{uid}", uid, 1, today.AddDays(-daysAgo), ["numpy"])), now);
        }
        opened.Store.Fold();
        var before = Windows(opened.Text());
        int held = opened.Metrics.WindowSubjects();

        opened.Store.Prune(now, retentionDays: 90, rollupRetentionDays: 3650);

        var after = Windows(opened.Text());
        Assert.Equal(before, after);
        Assert.Equal(3, MetricsText.Value(after, "polaris_users{window=\"30d\"}"));
        Assert.Equal(2, MetricsText.Value(after, "polaris_active_jobs{window=\"7d\"}"));
        Assert.Equal(1, MetricsText.Value(after, "polaris_library_users{library=\"numpy\",window=\"1d\"}"));
        Assert.Equal(0, MetricsText.Value(after, "polaris_library_users{library=\"oldlib\",window=\"30d\"}"));
        // Users 1 to 3 and their jobs, for all Python and for numpy: no one older, and nothing of oldlib.
        Assert.Equal(316, held);
        Assert.Equal(12, opened.Metrics.WindowSubjects());
        // A forgotten user who comes back counts again.
        opened.Store.Ingest(SummaryFixtures.BatchOf("back", "n1", SummaryFixtures.Job("n1", "o100", 100, 1, today, ["oldlib"])), now);
        Assert.Equal(1, MetricsText.Value(opened.Text(), "polaris_library_users{library=\"oldlib\",window=\"1d\"}"));
        Assert.Equal(4, MetricsText.Value(opened.Text(), "polaris_users{window=\"30d\"}"));
    }

    /// <summary>The distinct users' and jobs' gauges of /metrics.</summary>
    private static string Windows(string text) => string.Join('\n', text.Split('\n')
        .Where(l => l.StartsWith("polaris_users", StringComparison.Ordinal) || l.StartsWith("polaris_active_jobs", StringComparison.Ordinal)
            || l.StartsWith("polaris_library_users", StringComparison.Ordinal) || l.StartsWith("polaris_library_jobs", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal));
}
