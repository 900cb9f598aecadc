using Polaris.Collector.Reports;

namespace Polaris.Collector.Tests.Reports;

/// <summary>The read token's floor on small groups: a row of one or two users goes, a row of no users stays (it
/// identifies nobody, and "no jobs in common" is an answer), rows of no group stay.</summary>
public class ReportTableFloorTests
{
    [Fact]
    public void Rows_of_one_or_two_users_go_and_rows_of_none_stay()
    {
        var table = new ReportTable("t", ["group", "users"]);
        table.AddGroup(0, "agent and xalt", 0L);
        table.AddGroup(1, "one", 1L);
        table.AddGroup(2, "two", 2L);
        table.AddGroup(3, "three", 3L);
        table.Add("(no group)", 1L);

        int withheld = table.Withhold(3);

        Assert.Equal(2, withheld);
        Assert.Equal(["agent and xalt", "three", "(no group)"], table.Rows.Select(r => (string)r[0]));
        Assert.Contains(table.Notes, n => n.StartsWith("2 rows of fewer than 3 distinct users", StringComparison.Ordinal));
    }
}
