using Polaris.Agent.Serve.Enrich;

namespace Polaris.Agent.Tests.Enrich;

public class UserShareCacheTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public void A_user_who_fills_their_share_clears_only_their_own()
    {
        var cache = new UserShareCache<long>(bytes => bytes);
        cache.Set(1001, "/home/alice/env", 1000);
        cache.Set(null, "/soft/base", 1000);

        // Mallory analyses environment after environment: her share starts over, Alice's and the facility's stay.
        for (int i = 0; i < 10 * UserShareCache<long>.EntriesPerUser; i++)
        {
            cache.Set(666, $"/tmp/m{i}", 1000);
        }

        Assert.True(cache.TryGet(1001, "/home/alice/env", out _));
        Assert.True(cache.TryGet(null, "/soft/base", out _));
        Assert.False(cache.TryGet(666, "/tmp/m0", out _));
        Assert.True(cache.TryGet(666, $"/tmp/m{(10 * UserShareCache<long>.EntriesPerUser) - 1}", out _));
        Assert.False(cache.TryGet(666, "/home/alice/env", out _), "a share is the user's own");
    }

    [Fact]
    public void What_a_share_and_all_shares_keep_is_bounded_in_bytes()
    {
        var cache = new UserShareCache<long>(bytes => bytes);

        cache.Set(1, "a", 5 * MiB);
        cache.Set(1, "b", 5 * MiB); // past 8 MiB: the share starts over with b
        Assert.False(cache.TryGet(1, "a", out _));
        Assert.Equal(5 * MiB, cache.Bytes);

        cache.Set(1, "huge", UserShareCache<long>.BytesPerUser + 1);
        Assert.False(cache.TryGet(1, "huge", out _), "a value larger than a share is not kept");
        Assert.True(cache.TryGet(1, "b", out _));

        for (uint user = 2; user < 20; user++)
        {
            cache.Set(user, "e", 7 * MiB);
            Assert.InRange(cache.Bytes, 0, UserShareCache<long>.MaxBytes);
        }
    }
}
