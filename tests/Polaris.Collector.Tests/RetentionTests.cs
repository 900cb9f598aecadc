using Polaris.Testing;

namespace Polaris.Collector.Tests;

/// <summary>Summaries, batch keys and module tables go after <c>retentionDays</c>; the roll-ups stay, and answer for the
/// days whose summaries are gone (docs/collector.md, "Retention").</summary>
public class RetentionTests
{
    [Fact]
    public void Past_retention_the_summaries_of_a_day_whose_period_is_not_built_wait_for_it()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        var now = DateTime.UtcNow;
        opened.Store.Ingest(SummaryFixtures.BatchOf("r0", "n0", SummaryFixtures.Job("n0", "7", 1001, 1, now.AddMinutes(-5), ["numpy"])), now);
        opened.Store.Fold();

        // The period's uses are read from the summaries: until maintenance built it, they and their table stay.
        var waiting = opened.Store.Prune(now.AddDays(91), retentionDays: 90, rollupRetentionDays: 3650);
        Polaris.Collector.Reports.RollupPeriods.Build(opened.Store, now.AddDays(91), 3650, TimeSpan.FromMinutes(1));
        var pruned = opened.Store.Prune(now.AddDays(91), retentionDays: 90, rollupRetentionDays: 3650);

        Assert.Equal((0, 0, 1), (waiting["summaries"], waiting["tables"], waiting["batches"]));
        Assert.Equal((1, 1), (pruned["summaries"], pruned["tables"]));
    }

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

        // Ninety-one days on: everything was stored on one day, now past the 90 kept, and its period (with the uses read
        // from the summaries) built by maintenance long before.
        Polaris.Collector.Reports.RollupPeriods.Build(opened.Store, now.AddDays(91), 3650, TimeSpan.FromMinutes(1));
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
    public void Past_retention_a_live_summarys_state_goes_and_a_version_that_comes_after_counts_as_a_new_summary()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        var now = DateTime.UtcNow;
        opened.Store.Ingest(SummaryFixtures.BatchOf("v1", "n1", Live(1, ranks: 2, now)), now);
        opened.Store.Fold();

        // Its last version came 89 days ago: kept, and a newer one counts only what it adds.
        Assert.Equal(0, opened.Store.Prune(now.AddDays(89), retentionDays: 90, rollupRetentionDays: 3650)["live"]);
        Polaris.Collector.Reports.RollupPeriods.Build(opened.Store, now.AddDays(91), 3650, TimeSpan.FromMinutes(1));
        var pruned = opened.Store.Prune(now.AddDays(91), retentionDays: 90, rollupRetentionDays: 3650);

        Assert.Equal((1, 1, 1), (pruned["live"], pruned["summaries"], pruned["batches"]));
        // The trade-off (docs/collector.md, "Live summaries"): a version that comes after counts again, in full, as
        // the first of a new summary; the versions after it count what they add, and an older one nothing.
        var late = now.AddDays(91);
        opened.Store.Ingest(SummaryFixtures.BatchOf("v2", "n1", Live(2, ranks: 3, now)), late);
        opened.Store.Ingest(SummaryFixtures.BatchOf("v3", "n1", Live(3, ranks: 4, now)), late);
        opened.Store.Ingest(SummaryFixtures.BatchOf("v1-again", "n1", Live(1, ranks: 2, now)), late);
        opened.Store.Fold();
        var text = opened.Text();
        Assert.Equal(2, MetricsText.Value(text, "polaris_summaries_total"));
        Assert.Equal(2 + 4, MetricsText.Value(text, "polaris_python_processes_total"));
        Assert.Equal(2 + 4, MetricsText.Value(text, "polaris_library_processes_total{library=\"numpy\"}"));
        Assert.Equal(1, MetricsText.Value(text, "polaris_collector_live_versions_total{result=\"counted\"}"));
        Assert.Equal(1, MetricsText.Value(text, "polaris_collector_live_versions_total{result=\"stale\"}"));
        Assert.Equal(1, opened.Store.SummaryCountLatest());
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

    /// <summary>Version <paramref name="version"/> of one live summary of job 900 on node n1, with its first
    /// <paramref name="ranks"/> processes.</summary>
    private static Polaris.Wire.ProcessSummary Live(uint version, int ranks, DateTime nowUtc) =>
        SummaryFixtures.Job("n1", "900", 1001, ranks, nowUtc.AddMinutes(-30), ["numpy"]) with { SummaryId = "n1:live:1", Version = version };

    /// <summary>The distinct users' and jobs' gauges of /metrics.</summary>
    private static string Windows(string text) => string.Join('\n', text.Split('\n')
        .Where(l => l.StartsWith("polaris_users", StringComparison.Ordinal) || l.StartsWith("polaris_active_jobs", StringComparison.Ordinal)
            || l.StartsWith("polaris_library_users", StringComparison.Ordinal) || l.StartsWith("polaris_library_jobs", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal));
}
