using Polaris.Agent.Bench;

namespace Polaris.Agent.Tests.Bench;

public class ResultTableTests
{
    private static readonly Workload One = new("one", ["python3", "-c", "import numpy"], "");
    private static readonly Workload Fails = new("cmd1", ["sh", "-c", "exit 3"], "");
    private static readonly Configuration[] Configurations = [Configuration.Bare, new("agent", new Dictionary<string, string>())];

    [Fact]
    public void Every_configuration_is_compared_with_bare_on_the_same_workload()
    {
        var rows = ResultRow.From([One], Configurations, [T("one", "bare", 80), T("one", "bare", 82), T("one", "bare", 90), T("one", "agent", 81), T("one", "agent", 83), T("one", "agent", 84)]);

        Assert.Equal(2, rows.Count);
        Assert.Null(rows[0].AddedMilliseconds);
        Assert.Null(rows[0].AddedPercent);
        Assert.Equal(1.0, rows[1].AddedMilliseconds!.Value, 6);
        Assert.Equal(1.0 / 82 * 100, rows[1].AddedPercent!.Value, 6);
    }

    [Fact]
    public void The_table_has_fixed_width_columns_signed_differences_and_dashes_where_there_is_no_figure()
    {
        var timings = new[]
        {
            T("one", "bare", 80), T("one", "bare", 82.4), T("one", "agent", 81.4), T("one", "agent", 83.6),
            T("cmd1", "bare", 3, exit: 3), T("cmd1", "agent", 3, exit: 3),
        };

        var table = ResultTable.Format(ResultRow.From([One, Fails], Configurations, timings));

        Assert.Equal(
            """
            workload  config  runs  failed  median ms  min ms  max ms  added ms  added %
            one       bare    2     0       81.2       80.0    82.4    -         -
            one       agent   2     0       82.5       81.4    83.6    +1.3      +1.6%
            cmd1      bare    1     1       -          -       -       -         -
            cmd1      agent   1     1       -          -       -       -         -

            """.ReplaceLineEndings("\n"), table);
    }

    [Fact]
    public void A_configuration_faster_than_bare_shows_a_negative_difference()
    {
        var rows = ResultRow.From([One], Configurations, [T("one", "bare", 100), T("one", "agent", 90)]);

        var agent = ResultTable.Format(rows).Split('\n')[2];

        Assert.EndsWith("-10.0     -10.0%", agent, StringComparison.Ordinal);
    }

    private static Timing T(string workload, string configuration, double milliseconds, int exit = 0) =>
        new(0, workload, configuration, milliseconds, exit);
}
