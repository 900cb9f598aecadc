using Polaris.Collector.Ingest;

namespace Polaris.Collector.Tests;

public class IngestBudgetTests
{
    [Fact]
    public void Leases_share_the_budget_and_give_it_back_when_disposed()
    {
        var budget = new IngestBudget(100);
        using (var first = budget.Lease())
        {
            first.Take(60);
            using var second = budget.Lease();
            second.Take(40);

            Assert.Throws<IngestBudgetExceededException>(() => second.Take(1));
            Assert.Equal(100, budget.Taken);
        }

        Assert.Equal(0, budget.Taken);
        using var third = budget.Lease();
        third.Take(100);
    }
}
