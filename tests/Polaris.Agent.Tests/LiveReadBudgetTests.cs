using System.Diagnostics;
using Polaris.Agent.Serve.Receive;

namespace Polaris.Agent.Tests;

/// <summary>A user who keeps thousands of files open and growing has their reads put off, and no other user's.</summary>
public class LiveReadBudgetTests
{
    [Fact]
    public void Past_its_burst_a_users_reads_wait_for_tokens_and_another_user_reads_at_once()
    {
        var budget = new LiveReadBudget();
        long now = Stopwatch.GetTimestamp();
        int reads = 0;
        while (budget.TryTake(1001, 100_000, now, out _))
        {
            reads++;
        }

        Assert.Equal((int)LiveReadBudget.Burst, reads);
        Assert.False(budget.TryTake(1001, 100_000, now, out int waitMs));
        Assert.InRange(waitMs, 1, 1000 / (int)LiveReadBudget.ReadsPerSecond);
        Assert.True(budget.TryTake(1002, 100_000, now, out _));
        Assert.True(budget.TryTake(1001, 100_000, now + Stopwatch.Frequency, out _), "tokens come back with time");
    }

    [Fact]
    public void A_large_file_costs_a_token_per_MiB()
    {
        var budget = new LiveReadBudget();
        long now = Stopwatch.GetTimestamp();
        int reads = 0;
        while (budget.TryTake(1001, 8L * 1024 * 1024, now, out _))
        {
            reads++;
        }

        Assert.Equal((int)(LiveReadBudget.Burst / 9), reads);
    }
}
