using Polaris.Agent.Bench;

namespace Polaris.Agent.Tests.Bench;

public class TimingStatisticsTests
{
    [Fact]
    public void The_median_of_an_odd_count_is_the_middle_value_whatever_the_input_order()
    {
        Assert.Equal(5.0, TimingStatistics.MedianOf([9.0, 1.0, 5.0]));
        Assert.Equal(7.0, TimingStatistics.MedianOf([7.0]));
    }

    [Fact]
    public void The_median_of_an_even_count_is_the_mean_of_the_two_middle_values()
    {
        Assert.Equal(4.0, TimingStatistics.MedianOf([10.0, 1.0, 3.0, 5.0]));
        Assert.Equal(1.5, TimingStatistics.MedianOf([2.0, 1.0]));
    }

    [Fact]
    public void There_is_no_median_of_nothing()
    {
        Assert.Throws<ArgumentException>(() => TimingStatistics.MedianOf([]));
    }

    [Fact]
    public void Failed_runs_are_counted_but_left_out_of_the_times()
    {
        var statistics = TimingStatistics.Of([Run(80, 0), Run(1000, 1), Run(90, 0), Run(85, 0), Run(5, 127)]);

        Assert.Equal(5, statistics.Runs);
        Assert.Equal(2, statistics.Failures);
        Assert.Equal(85.0, statistics.Median);
        Assert.Equal(80.0, statistics.Min);
        Assert.Equal(90.0, statistics.Max);
        Assert.False(statistics.AllFailed);
    }

    [Fact]
    public void When_every_run_failed_there_are_no_times_and_bench_must_say_so()
    {
        var statistics = TimingStatistics.Of([Run(5, 3), Run(6, 3)]);

        Assert.True(statistics.AllFailed);
        Assert.Null(statistics.Median);
        Assert.Null(statistics.Min);
        Assert.Null(statistics.Max);
    }

    private static Timing Run(double milliseconds, int exit) => new(0, "one", "bare", milliseconds, exit);
}
