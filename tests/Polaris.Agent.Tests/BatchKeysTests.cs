using Polaris.Agent.Serve;
using Polaris.Agent.Serve.Spool;
using Polaris.Testing;

namespace Polaris.Agent.Tests;

/// <summary>Batch keys sort in the order they were made, which is the order the spool ships and trims in.</summary>
public class BatchKeysTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public void Keys_made_in_one_millisecond_sort_in_the_order_they_were_made()
    {
        var keys = new BatchKeys();

        var made = Enumerable.Range(0, 10_000).Select(_ => keys.Next(Now)).ToArray();

        Assert.Equal(made, made.Order(StringComparer.Ordinal));
        Assert.Equal(made.Length, made.Distinct().Count());
        // Still UUIDv7, readable as a Guid, version 7, RFC variant, starting with the time in milliseconds.
        var guid = Guid.ParseExact(made[0], "N");
        Assert.Equal(7, guid.Version);
        Assert.Equal(Now.ToUnixTimeMilliseconds(), Convert.ToInt64(made[0][..12], 16));
        Assert.Contains(made[0][16], "89ab");
    }

    [Fact]
    public void A_clock_set_back_keeps_keys_in_order()
    {
        var keys = new BatchKeys();
        var first = keys.Next(Now);

        var second = keys.Next(Now.AddMinutes(-5));

        Assert.True(string.CompareOrdinal(first, second) < 0);
    }

    [Fact]
    public void Keys_sort_after_the_batches_a_previous_run_left_in_the_spool()
    {
        using var dir = new TempDirectory();
        var options = new AgentOptions { Spool = dir.Path, SpoolMinFreeBytes = 0 };
        var earlier = new BatchSpool(options);
        earlier.Open();
        // Made by a run whose clock was ahead by an hour.
        var left = new BatchKeys().Next(Now.AddHours(1));
        earlier.Add(left, [1, 2, 3], []);
        earlier.Consumed(left);

        var spool = new BatchSpool(options);
        spool.Open();
        var next = spool.NewKey();

        Assert.True(string.CompareOrdinal(left, next) < 0);
        Assert.Equal(Guid.CreateVersion7().Version, Guid.ParseExact(next, "N").Version);
    }
}
