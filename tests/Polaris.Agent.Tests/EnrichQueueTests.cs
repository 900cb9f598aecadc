using Polaris.Agent.Serve;
using Polaris.Agent.Serve.Receive;
using Polaris.Wire;

namespace Polaris.Agent.Tests;

public class EnrichQueueTests
{
    private const uint Alice = 1001;
    private const uint Bob = 1002;

    private static ProcessRecord Record(uint uid) => new() { Uid = uid, Pid = 1, Host = "n1", User = uid.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    [Fact]
    public void Users_take_turns_so_one_user_s_records_wait_behind_one_record_of_each_other_user_at_most()
    {
        var forwarded = new List<string>();
        using var done = new CountdownEvent(6);
        using var queue = new EnrichQueue((record, file) => new ReceivedRecord(record, file), received =>
        {
            lock (forwarded)
            {
                forwarded.Add(received.DropFile);
            }
            done.Signal();
        }, (e, _) => throw e);
        for (int i = 0; i < 5; i++)
        {
            Assert.True(queue.TryAdd(Alice, 1000, Record(Alice), $"alice{i}"));
        }
        Assert.True(queue.TryAdd(Bob, 1000, Record(Bob), "bob0"));

        queue.Start();

        Assert.True(done.Wait(TimeSpan.FromSeconds(30)));
        Assert.Equal(["alice0", "bob0", "alice1", "alice2", "alice3", "alice4"], forwarded);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void What_waits_is_bounded_per_user_and_in_all_but_a_record_always_fits_where_nothing_waits()
    {
        using var queue = new EnrichQueue((record, file) => new ReceivedRecord(record, file), _ => { }, (e, _) => throw e);

        // One record larger than a user's share fits when nothing of that user's waits; nothing more of theirs does.
        Assert.True(queue.TryAdd(Alice, EnrichQueue.MaxUserBytes + 1, Record(Alice), "big"));
        Assert.False(queue.HasRoom(Alice, 1));
        Assert.False(queue.TryAdd(Alice, 1, Record(Alice), "small"));
        // Another user is not held back by Alice's share.
        long most = EnrichQueue.MaxUserBytes * 3 / 4, half = EnrichQueue.MaxUserBytes / 2;
        Assert.True(queue.HasRoom(Bob, most));
        Assert.True(queue.TryAdd(Bob, most, Record(Bob), "b1"));
        Assert.False(queue.TryAdd(Bob, half, Record(Bob), "b2"));

        // All users together stay within the total.
        uint user = 2000;
        long total = EnrichQueue.MaxUserBytes + 1 + most;
        while (total + most <= EnrichQueue.MaxBytes)
        {
            Assert.True(queue.TryAdd(user, most, Record(user), $"u{user}"));
            user++;
            total += most;
        }
        Assert.False(queue.TryAdd(user, most, Record(user), "over"));
    }

    [Fact]
    public void A_file_whose_record_waits_is_held_once_and_charged_for_what_its_record_holds()
    {
        using var queue = new EnrichQueue((record, file) => new ReceivedRecord(record, file), _ => { }, (e, _) => throw e);
        var many = Record(Alice) with { Modules = [.. Enumerable.Range(0, 1000).Select(i => new ModuleImport($"m{i}", ""))] };

        Assert.True(queue.TryAdd(Alice, 10, Record(Alice), "/drop/1.1.rec"));
        Assert.True(queue.Holds("/drop/1.1.rec"));
        Assert.False(queue.TryAdd(Alice, 10, Record(Alice), "/drop/1.1.rec"), "a second read of a waiting file");
        Assert.False(queue.Holds("/drop/2.2.rec"));
        // A forged record of 4-byte module columns parses to many times its file's size.
        Assert.Equal(4000 + (64 * 1000), EnrichQueue.Charge(4000, many));
    }

    [Fact]
    public void A_record_whose_enrichment_throws_costs_that_record_only_and_stopping_leaves_the_rest()
    {
        var forwarded = new List<string>();
        var failures = new List<(Exception, string)>();
        using var second = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var queue = new EnrichQueue((record, file) =>
        {
            if (file == "bad")
            {
                throw new InvalidOperationException("a bug");
            }
            if (file == "slow")
            {
                second.Set();
                release.Wait();
            }
            return new ReceivedRecord(record, file);
        }, received => forwarded.Add(received.DropFile), (e, file) => failures.Add((e, file)));
        queue.TryAdd(Alice, 1, Record(Alice), "bad");
        queue.TryAdd(Alice, 1, Record(Alice), "slow");
        queue.TryAdd(Alice, 1, Record(Alice), "never");
        queue.Start();

        Assert.True(second.Wait(TimeSpan.FromSeconds(30)));
        var stopping = new Thread(queue.Stop);
        stopping.Start();
        // Stopping has begun (the thread waits for the worker) before the record in hand is done.
        while (!stopping.ThreadState.HasFlag(ThreadState.WaitSleepJoin))
        {
            Thread.Sleep(1);
        }
        release.Set();
        Assert.True(stopping.Join(TimeSpan.FromSeconds(30)), "Stop returns once the record in hand is done");

        var (failure, failedFile) = Assert.Single(failures);
        Assert.IsType<InvalidOperationException>(failure);
        Assert.Equal("bad", failedFile);
        Assert.Equal(["slow"], forwarded);
    }

    [Fact]
    public void A_waiting_record_can_be_taken_back_and_one_being_enriched_cannot()
    {
        using var enriching = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var forwarded = new List<(string File, RecordState State)>();
        using var queue = new EnrichQueue((record, file) =>
        {
            if (file == "first")
            {
                enriching.Set();
                release.Wait();
            }
            return new ReceivedRecord(record, file);
        }, received =>
        {
            lock (forwarded)
            {
                forwarded.Add((received.DropFile, received.State));
            }
        }, (e, _) => throw e);
        Assert.True(queue.TryAdd(Alice, 1000, Record(Alice), "first", RecordState.Running));
        Assert.True(queue.TryAdd(Alice, 1000, Record(Alice), "second", RecordState.Running));
        Assert.True(queue.TryAdd(Bob, 1000, Record(Bob), "third"));
        queue.Start();
        Assert.True(enriching.Wait(TimeSpan.FromSeconds(30)));

        Assert.False(queue.TryRemove("first"));
        Assert.True(queue.TryRemove("second"));
        Assert.True(queue.TryRemove("never queued"));
        Assert.False(queue.Holds("second"));
        Assert.True(queue.HasRoom(Alice, EnrichQueue.MaxUserBytes - 1000));
        release.Set();

        Assert.True(SpinWait.SpinUntil(() => queue.Count == 0, TimeSpan.FromSeconds(30)));
        Assert.Equal([("first", RecordState.Running), ("third", RecordState.Final)], forwarded);
    }
}
