using System.Globalization;
using Polaris.Agent.Serve;
using Polaris.Agent.Serve.Spool;
using Polaris.Testing;

namespace Polaris.Agent.Tests;

/// <summary>The spool keeps within its bounds of size, age and free space by dropping its oldest batches first.</summary>
public class BatchSpoolTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static byte[] Noise(int bytes)
    {
        var noise = new byte[bytes];
        Random.Shared.NextBytes(noise);
        return noise;
    }

    /// <summary>A UUIDv7-shaped key made at <paramref name="at"/>.</summary>
    private static string Key(DateTimeOffset at) =>
        at.ToUnixTimeMilliseconds().ToString("x12", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[12..];

    /// <summary>What the aggregator does with a batch that consumed no drop file: spool it, end its journal, trim.</summary>
    private static SpoolTrim Store(BatchSpool spool, string key, byte[] batch)
    {
        spool.Add(key, batch, []);
        spool.Consumed(key);
        return spool.Trim(DateTimeOffset.UtcNow);
    }

    private static long SpooledBytes(BatchSpool spool) => spool.Pending().Sum(b => new FileInfo(b.Path).Length);

    [Fact]
    public void Past_its_size_bound_the_spool_drops_its_oldest_batches_first_and_says_how_much()
    {
        using var dir = new TempDirectory();
        var spool = new BatchSpool(new AgentOptions { Spool = dir.Path, SpoolMaxBytes = 100_000, SpoolMinFreeBytes = 0 });
        spool.Open();
        var keys = new List<string>();
        var dropped = new SpoolTrim(0, 0);

        for (int i = 0; i < 6; i++)
        {
            keys.Add(Key(Now.AddMilliseconds(i)));
            var trim = Store(spool, keys[^1], Noise(30_000));
            dropped = new SpoolTrim(dropped.Batches + trim.Batches, dropped.Bytes + trim.Bytes);
            Assert.InRange(SpooledBytes(spool), 30_000, 100_000);
        }

        Assert.Equal(keys[^3..], spool.Pending().Select(b => b.Key));
        Assert.Equal(new SpoolTrim(3, 90_000), dropped);
    }

    [Fact]
    public void A_batch_past_the_age_bound_is_dropped_when_the_spool_opens()
    {
        using var dir = new TempDirectory();
        var old = Key(Now.AddDays(-8));
        var recent = Key(Now.AddDays(-6));
        File.WriteAllBytes(dir.Combine(old + ".batch"), Noise(1000));
        File.WriteAllBytes(dir.Combine(recent + ".batch"), Noise(1000));
        var spool = new BatchSpool(new AgentOptions { Spool = dir.Path, SpoolMaxAge = TimeSpan.FromDays(7), SpoolMinFreeBytes = 0 });

        var trim = spool.Open();

        Assert.Equal(new SpoolTrim(1, 1000), trim);
        Assert.Equal([recent], spool.Pending().Select(b => b.Key));
    }

    [Fact]
    public void The_spool_leaves_its_reserve_of_free_space_on_a_file_system_that_fills()
    {
        // A real file system of 1 MiB (tmpfs, mounted as root as CI runs) that the spool must never fill.
        using var dir = new TempDirectory();
        var mount = CommandResult.Run("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.Path]);
        Assert.True(mount.ExitCode == 0, "mounting a tmpfs needs root: " + mount.StderrText);
        try
        {
            var spool = new BatchSpool(new AgentOptions { Spool = dir.Combine("spool"), SpoolMinFreeBytes = 600_000 });
            spool.Open();
            var keys = new List<string>();
            for (int i = 0; i < 10; i++)
            {
                keys.Add(Key(Now.AddMilliseconds(i)));
                Store(spool, keys[^1], Noise(100_000));
                // What the spool frees is its files' sizes; the file system counts whole pages.
                Assert.True(new DriveInfo(dir.Path).AvailableFreeSpace >= 600_000 - 8192, $"free space after batch {i}");
            }
            var kept = spool.Pending().Select(b => b.Key).ToArray();
            Assert.InRange(kept.Length, 3, 4);
            Assert.Equal(keys[^kept.Length..], kept);
        }
        finally
        {
            CommandResult.Run("umount", [dir.Path]);
        }
    }

    [Fact]
    public void A_file_system_someone_else_filled_costs_the_oldest_batches_never_the_one_just_made()
    {
        // A user's 'fill.tmp' took the space of the spool's file system (1 MiB here, far under the default 64 MiB
        // reserve): each batch used to be deleted as soon as it was spooled.
        using var dir = new TempDirectory();
        var mount = CommandResult.Run("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.Path]);
        Assert.True(mount.ExitCode == 0, "mounting a tmpfs needs root: " + mount.StderrText);
        try
        {
            File.WriteAllBytes(dir.Combine("fill.tmp"), Noise(800_000));
            var spool = new BatchSpool(new AgentOptions { Spool = dir.Combine("spool") });
            spool.Open();
            var dropped = 0;
            for (int i = 0; i < 4; i++)
            {
                var key = Key(Now.AddMilliseconds(i));
                dropped += Store(spool, key, Noise(10_000)).Batches;
                Assert.Equal([key], spool.Pending().Select(b => b.Key));
            }
            Assert.Equal(3, dropped);
        }
        finally
        {
            CommandResult.Run("umount", [dir.Path]);
        }
    }

    [Fact]
    public void Batches_set_aside_and_refused_count_against_the_size_bound_oldest_first()
    {
        using var dir = new TempDirectory();
        var spool = new BatchSpool(new AgentOptions { Spool = dir.Path, SpoolMaxBytes = 100_000, SpoolMinFreeBytes = 0 });
        spool.Open();
        var rejected = Key(Now);
        var deferred = Key(Now.AddMilliseconds(1));
        Store(spool, rejected, Noise(40_000));
        Store(spool, deferred, Noise(40_000));
        spool.Reject(spool.Pending()[0]);
        spool.Defer(spool.Pending()[0]);
        Assert.Equal((1, 40_000L), spool.Size());

        var kept = Key(Now.AddMilliseconds(2));
        var trim = Store(spool, kept, Noise(40_000));

        Assert.Equal(new SpoolTrim(1, 40_000), trim);
        Assert.False(File.Exists(dir.Combine("rejected", rejected + ".batch")), "the oldest, refused, batch goes first");
        Assert.Equal([deferred], spool.Deferred().Select(b => b.Key));
        Assert.Equal([kept], spool.Pending().Select(b => b.Key));
        Assert.Equal((2, 80_000L), spool.Size());
    }

    [Fact]
    public void After_a_crash_between_spooling_and_removing_drop_files_the_next_start_removes_them_unread()
    {
        using var dir = new TempDirectory();
        var drop = Directory.CreateDirectory(dir.Combine("incoming")).FullName;
        var consumed = Path.Combine(drop, "100.1.rec");
        var other = Path.Combine(drop, "200.1.rec");
        File.WriteAllText(consumed, "record");
        File.WriteAllText(other, "record");
        var options = new AgentOptions { Spool = dir.Combine("spool"), SpoolMinFreeBytes = 0 };
        var spool = new BatchSpool(options);
        spool.Open();
        var key = Key(Now);
        spool.Add(key, Noise(100), [consumed]);

        Assert.Empty(spool.Pending()); // its journal is open: not shipped yet
        var restarted = new BatchSpool(options);
        restarted.Open();

        Assert.False(File.Exists(consumed), "the spooled record's file is removed, not read into a second summary");
        Assert.True(File.Exists(other));
        Assert.Equal([key], restarted.Pending().Select(b => b.Key));
    }

    [Fact]
    public void A_journal_whose_batch_was_never_written_leaves_the_drop_files_to_be_read_again()
    {
        using var dir = new TempDirectory();
        var record = dir.Combine("100.1.rec");
        File.WriteAllText(record, "record");
        var options = new AgentOptions { Spool = dir.Combine("spool"), SpoolMinFreeBytes = 0 };
        new BatchSpool(options).Open();
        // The journal is written before the batch: a crash in between leaves it alone.
        File.WriteAllText(Path.Combine(options.Spool, Key(Now) + ".consumed"), record);

        var spool = new BatchSpool(options);
        spool.Open();

        Assert.True(File.Exists(record));
        Assert.Empty(Directory.GetFiles(options.Spool));
    }
}
