using Polaris.Agent.Serve.Ship;

namespace Polaris.Agent.Tests;

public class DeferredRetryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_deferred_batch_waits_longer_after_each_failure_and_is_given_up_after_its_last_attempt()
    {
        var retry = new DeferredRetry();
        var now = Start;

        Assert.False(retry.IsDue("k", now));
        Assert.False(retry.IsDue("k", now + DeferredRetry.FirstWait - TimeSpan.FromSeconds(1)));
        now += DeferredRetry.FirstWait;
        Assert.True(retry.IsDue("k", now));
        var waits = new List<TimeSpan>();
        for (int attempt = 1; attempt < DeferredRetry.Attempts; attempt++)
        {
            Assert.False(retry.Failed("k", now));
            var due = retry.NextDue!.Value;
            waits.Add(due - now);
            now = due;
            Assert.True(retry.IsDue("k", now));
        }

        Assert.True(retry.Failed("k", now));
        Assert.Null(retry.NextDue);
        Assert.Equal(TimeSpan.FromMinutes(2), waits[0]);
        Assert.True(waits.SequenceEqual(waits.Order()), "waits never shrink");
        Assert.Equal(DeferredRetry.LongestWait, waits[^1]);
    }

    [Fact]
    public void A_retry_that_failed_for_want_of_a_collector_is_not_counted_and_gone_batches_are_forgotten()
    {
        var retry = new DeferredRetry();
        retry.IsDue("k", Start);
        for (int i = 0; i < DeferredRetry.Attempts * 2; i++)
        {
            retry.Postpone("k", Start);
        }
        Assert.False(retry.Failed("k", Start));

        retry.IsDue("gone", Start);
        retry.Retain(["k"]);

        Assert.False(retry.IsDue("gone", Start + TimeSpan.FromDays(1)));
    }
}
