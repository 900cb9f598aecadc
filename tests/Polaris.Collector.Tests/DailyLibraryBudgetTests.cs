using Polaris.Collector.Aggregation;

namespace Polaris.Collector.Tests;

/// <summary>The daily library budget holds the days an import's records come in, in whatever order: each day's stored
/// names are read once and its budget spent once, and only past its bound of names is a day let go, the least lately
/// used first.</summary>
public class DailyLibraryBudgetTests
{
    [Fact]
    public void A_year_of_records_in_no_order_of_days_reads_each_day_once()
    {
        var budget = new DailyLibraryBudget(100, _ => ["numpy"]);

        // Round after round over 30 days, as an archive of a year's runs comes: a, then b, then c on every day.
        foreach (var library in new[] { "a", "b", "c" })
        {
            for (int day = 0; day < 30; day++)
            {
                Assert.Equal(library, budget.Of(20_000 + day, library, uid: 1001));
            }
        }

        // Each day read once, and what it was given since kept: holding eight days read a day again for every record.
        Assert.Equal(30, budget.DaysRead);
        Assert.All(Enumerable.Range(0, 30), day => Assert.Equal("a", budget.Of(20_000 + day, "a", 1001)));
        Assert.Equal(30, budget.DaysRead);
    }

    [Fact]
    public void Past_its_bound_of_names_the_day_least_lately_used_is_let_go_and_read_again_when_needed()
    {
        var budget = new DailyLibraryBudget(2, _ => ["numpy"]);
        Assert.Equal(16, budget.MaxNamesHeld);

        // Eight days of one stored name fill the bound (a name and the day each).
        for (int day = 0; day < 8; day++)
        {
            budget.Of(day, "numpy", 1);
        }
        budget.Of(0, "numpy", 1); // day 0 used lately
        budget.Of(8, "numpy", 1); // one more: day 1 goes
        Assert.Equal(9, budget.DaysRead);

        budget.Of(0, "numpy", 1);
        Assert.Equal(9, budget.DaysRead);
        budget.Of(1, "numpy", 1);
        Assert.Equal(10, budget.DaysRead);
    }
}
