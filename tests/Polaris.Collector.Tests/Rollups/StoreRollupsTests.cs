using Polaris.Testing;

namespace Polaris.Collector.Tests.Rollups;

/// <summary><c>CollectorStore.Rollups</c>, what <c>/v1/rollups</c> writes: the folded roll-ups of the days asked,
/// day by day and each day's libraries in ordinal order, and only the libraries asked when some are.</summary>
public class StoreRollupsTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public void Roll_ups_come_day_by_day_each_day_s_libraries_in_order_and_only_those_asked()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        var store = opened.Store;
        for (int daysAgo = 0; daysAgo < 3; daysAgo++)
        {
            var start = Today.AddDays(-daysAgo).ToDateTime(new TimeOnly(0, 0, 1), DateTimeKind.Utc);
            var summary = SummaryFixtures.Job("n01", $"{100 + daysAgo}.pbs", 1001, 2, start, ["scipy", "numpy"]);
            store.Ingest(SummaryFixtures.BatchOf($"b{daysAgo}", "n01", summary), DateTime.UtcNow);
        }
        store.Fold();

        var all = store.Rollups(Today.AddDays(-1), Today, null).Select(r => $"{r.Day}|{r.Library}").ToArray();
        var numpy = store.Rollups(Today.AddDays(-9), Today.AddDays(9), ["numpy", "pandas"]).ToArray();

        string Day(int daysAgo) => Aggregation.Days.Of(Today.AddDays(-daysAgo).ToDateTime(TimeOnly.MinValue)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([$"{Day(1)}|", $"{Day(1)}|numpy", $"{Day(1)}|scipy", $"{Day(0)}|", $"{Day(0)}|numpy", $"{Day(0)}|scipy"], all);
        Assert.Equal(3, numpy.Length);
        Assert.All(numpy, r => Assert.Equal("numpy", r.Library));
        Assert.Equal(["102", "101", "100"], numpy.Select(r => Assert.Single(r.Jobs)));
    }
}
