using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests;

public class StoreRestartTests
{
    private static readonly DateTime Today = DateTime.UtcNow.Date.AddHours(1);

    [Fact]
    public void Every_counted_series_comes_back_after_a_restart_whether_or_not_the_fold_ran()
    {
        using var dir = new TempDirectory();
        string folded, unfolded;
        using (var opened = new TestStore(dir.Path))
        {
            opened.Store.Ingest(SummaryFixtures.BatchOf("b1", "n1", SummaryFixtures.Job("n1", "101.pbs", 1001, 4, Today, ["numpy", "numpy.linalg", "scipy@home"], nodes: 2)), DateTime.UtcNow);
            opened.Store.Ingest(SummaryFixtures.BatchOf("b2", "n2", SummaryFixtures.Job("n2", "101", 1001, 4, Today, ["numpy", "numpy.linalg", "scipy@home"], nodes: 2)), DateTime.UtcNow);
            opened.Store.Fold();
            folded = Counted(opened.Text());
            // Stored and counted, but the collector "dies" before the next fold.
            opened.Store.Ingest(SummaryFixtures.BatchOf("b3", "n3", SummaryFixtures.Job("n3", "102", 1002, 2, Today.AddDays(-1), ["torch@user-site", "numpy"], EnvironmentKind.CondaEnv)), DateTime.UtcNow);
            unfolded = Counted(opened.Text());
        }

        using var reopened = new TestStore(dir.Path);

        Assert.NotEqual(folded, unfolded);
        Assert.Equal(unfolded, Counted(reopened.Text()));
        Assert.Equal(0, reopened.Store.Unfolded);
        // And it counts nothing twice when the same batches come again.
        Assert.True(reopened.Store.Ingest(SummaryFixtures.BatchOf("b3", "n3"), DateTime.UtcNow).Duplicate);
        Assert.Equal(1, MetricsText.Value(reopened.Text(), "polaris_collector_batches_total{result=\"duplicate\"}"));
        Assert.Equal(unfolded, Counted(reopened.Text().Replace("polaris_collector_batches_total{result=\"duplicate\"} 1\n", "", StringComparison.Ordinal)));
    }

    [Fact]
    public void Distinct_users_and_jobs_count_once_over_the_days_a_window_holds()
    {
        using var dir = new TempDirectory();
        using (var opened = new TestStore(dir.Path))
        {
            // User 1 on three days in two jobs, user 2 once, a week ago.
            opened.Store.Ingest(SummaryFixtures.BatchOf("a", "n1", SummaryFixtures.Job("n1", "1", 1, 1, Today, ["numpy"])), DateTime.UtcNow);
            opened.Store.Ingest(SummaryFixtures.BatchOf("b", "n1", SummaryFixtures.Job("n1", "1", 1, 1, Today.AddDays(-1), ["numpy"])), DateTime.UtcNow);
            opened.Store.Ingest(SummaryFixtures.BatchOf("c", "n1", SummaryFixtures.Job("n1", "2", 1, 1, Today.AddDays(-3), ["numpy"])), DateTime.UtcNow);
            opened.Store.Ingest(SummaryFixtures.BatchOf("d", "n1", SummaryFixtures.Job("n1", "3", 2, 1, Today.AddDays(-8), ["numpy", "yaml"])), DateTime.UtcNow);
            Check(opened.Text());
        }

        // After a restart the windows come from the roll-ups alone.
        using var reopened = new TestStore(dir.Path);
        Check(reopened.Text());

        static void Check(string text)
        {
            Assert.Equal(1, MetricsText.Value(text, "polaris_library_users{library=\"numpy\",window=\"1d\"}"));
            Assert.Equal(1, MetricsText.Value(text, "polaris_library_users{library=\"numpy\",window=\"7d\"}"));
            Assert.Equal(2, MetricsText.Value(text, "polaris_library_users{library=\"numpy\",window=\"30d\"}"));
            Assert.Equal(2, MetricsText.Value(text, "polaris_library_jobs{library=\"numpy\",window=\"7d\"}"));
            Assert.Equal(3, MetricsText.Value(text, "polaris_library_jobs{library=\"numpy\",window=\"30d\"}"));
            Assert.Equal(0, MetricsText.Value(text, "polaris_library_users{library=\"yaml\",window=\"7d\"}"));
            Assert.Equal(2, MetricsText.Value(text, "polaris_users{window=\"30d\"}"));
            Assert.Equal(3, MetricsText.Value(text, "polaris_active_jobs{window=\"30d\"}"));
        }
    }

    /// <summary>The lines of /metrics that restarts must keep: counters and histograms (not gauges of time or size).</summary>
    private static string Counted(string text) => string.Join('\n', text.Split('\n')
        .Where(l => l.Length > 0 && l[0] != '#' && (l.Contains("_total", StringComparison.Ordinal) || l.Contains("_seconds_", StringComparison.Ordinal))
            && !l.StartsWith("polaris_collector_checkpoints", StringComparison.Ordinal) && !l.StartsWith("polaris_collector_node_last", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal));
}
