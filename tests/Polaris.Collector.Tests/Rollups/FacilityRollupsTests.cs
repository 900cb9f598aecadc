using Polaris.Collector.Rollups;

namespace Polaris.Collector.Tests.Rollups;

/// <summary>Uniting collectors' roll-ups: a user or a job on two collectors or two days counts once in every window that
/// holds either, processes add up, and what was not asked for is refused.</summary>
public class FacilityRollupsTests
{
    private static readonly DateOnly Until = new(2025, 3, 31);

    private static RollupRecord Day(int daysAgo, string library, long processes, long[] users, string[] jobs) => new()
    {
        Day = RollupRange.Text(Until.AddDays(-daysAgo)),
        Library = library,
        Users = users,
        Jobs = jobs,
        Processes = processes,
    };

    [Fact]
    public void A_user_and_a_job_on_two_collectors_and_two_days_count_once_and_processes_add_up()
    {
        var facility = new FacilityRollups(Until.AddDays(-29), Until);
        // Collector A, then collector B: user 1 and job 7 on both, on today and 5 days ago; user 2 on A 10 days ago.
        facility.Add(Day(0, "", 4, [1], ["7"]));
        facility.Add(Day(5, "", 2, [1], ["7"]));
        facility.Add(Day(10, "", 1, [2], ["8"]));
        facility.Add(Day(0, "", 4, [1], ["7"]));
        facility.Add(Day(5, "", 3, [1, 3], ["7", "9"]));

        var row = Assert.Single(facility.Rows());
        Assert.Equal([1, 7, 30], facility.Windows);
        Assert.Equal([1, 2, 3], row.Users);
        Assert.Equal([1, 2, 3], row.Jobs);
        Assert.Equal([8L, 13L, 14L], row.Processes);
    }

    [Fact]
    public void All_python_comes_first_then_libraries_by_users()
    {
        var facility = new FacilityRollups(Until, Until);
        facility.Add(Day(0, "scipy", 1, [1], []));
        facility.Add(Day(0, "numpy", 2, [1, 2], []));
        facility.Add(Day(0, "", 2, [1, 2], []));

        Assert.Equal(["", "numpy", "scipy"], facility.Rows().Select(r => r.Library));
    }

    [Fact]
    public void All_python_is_reported_when_no_collector_had_a_day_of_it()
    {
        var row = Assert.Single(new FacilityRollups(Until.AddDays(-6), Until).Rows());

        Assert.Equal("", row.Library);
        Assert.Equal([0, 0], row.Users);
    }

    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(7, new[] { 1, 7 })]
    [InlineData(10, new[] { 1, 7, 10 })]
    [InlineData(30, new[] { 1, 7, 30 })]
    [InlineData(365, new[] { 1, 7, 30, 365 })]
    public void The_windows_are_the_gauges_that_fit_and_the_whole_span(int days, int[] windows)
    {
        Assert.Equal(windows, FacilityRollups.WindowsFor(days));
    }

    [Theory]
    [InlineData("2025-04-01")]
    [InlineData("2025-03-01")]
    [InlineData("31/03/2025")]
    public void A_day_outside_what_was_asked_is_refused(string day)
    {
        var facility = new FacilityRollups(Until.AddDays(-29), Until);

        Assert.Throws<InvalidDataException>(() => facility.Add(Day(0, "", 1, [1], []) with { Day = day }));
    }

    [Fact]
    public void Processes_that_would_wrap_are_refused()
    {
        var facility = new FacilityRollups(Until, Until);
        facility.Add(Day(0, "", long.MaxValue, [1], []));

        Assert.Throws<OverflowException>(() => facility.Add(Day(0, "", 1, [1], [])));
    }
}
