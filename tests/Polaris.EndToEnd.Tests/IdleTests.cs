using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>Idle means idle: with nothing to take in or send, no thread of the daemon wakes up, and it stays small.</summary>
[Collection(QuietMachine.Name)]
public class IdleTests
{
    [Fact]
    public void A_daemon_with_nothing_left_to_do_sleeps_for_a_minute_and_stays_under_30_MB()
    {
        using var node = new NodeUnderTest();
        var daemon = AfterOneDelivery(node);
        Thread.Sleep(TimeSpan.FromSeconds(3)); // the last acknowledgement's own work settles

        // Sampled each second, so that a failure names the threads that woke and when.
        var seconds = new List<string>();
        var woken = new List<int>();
        var last = ContextSwitches(daemon.Process.Pid);
        for (int second = 1; second <= 60; second++)
        {
            Thread.Sleep(TimeSpan.FromSeconds(1));
            var now = ContextSwitches(daemon.Process.Pid);
            // Threads that ended meanwhile woke no more; a new thread is all wake-ups.
            var woke = now.Where(thread => thread.Value.Count > (last.TryGetValue(thread.Key, out var was) ? was.Count : 0))
                .Select(thread => (thread.Value.Name, Count: thread.Value.Count - (last.TryGetValue(thread.Key, out var was) ? was.Count : 0)))
                .ToList();
            if (woke.Count > 0)
            {
                woken.Add(second);
                seconds.Add($"{second} s: " + string.Join(", ", woke.Select(thread => $"{thread.Name} +{thread.Count}")));
            }
            last = now;
        }

        // What counts is how often the daemon wakes, not how many of its threads one wake touches: a timer that
        // fires wakes the runtime's timer thread, a pool thread or two and the pool's gate thread (which ticks twice
        // more over the next second), 5 to 7 switches in all. One such wake may come: the runtime's timer thread
        // keeps the due time of the last request's timeout (ReceiptTimeout, 10 s) after that timeout is disposed, and
        // wakes once for nothing. A timer with any period under 30 s gives two wakes or more, and one of a second
        // one long run.
        var wakes = Wakes(woken);
        string seen = $"{wakes.Count} wakes in a minute: " + string.Join("; ", seconds);
        Assert.True(wakes.Count <= 1, seen);
        Assert.True(wakes.All(wake => wake.Seconds <= 3), seen);
        Assert.InRange(ResidentKiB(daemon.Process.Pid), 1, 30 * 1024);
    }

    [Fact]
    public void A_daemon_shipping_over_http_never_loads_OpenSSL()
    {
        using var node = new NodeUnderTest();
        var daemon = AfterOneDelivery(node);

        // libssl and libcrypto cost 4.5 MB resident: a hash or a random number from System.Security.Cryptography
        // brings them in, and the 30 MB bound has no room for them when only https needs them.
        var maps = File.ReadAllText($"/proc/{daemon.Process.Pid}/maps");
        Assert.DoesNotContain("libssl", maps, StringComparison.Ordinal);
        Assert.DoesNotContain("libcrypto", maps, StringComparison.Ordinal);
    }

    /// <summary>Runs of consecutive seconds in which some thread woke: each is one wake of the daemon.</summary>
    internal static List<(int First, int Seconds)> Wakes(List<int> woken)
    {
        var wakes = new List<(int First, int Seconds)>();
        foreach (int second in woken)
        {
            if (wakes.Count > 0 && wakes[^1].First + wakes[^1].Seconds == second)
            {
                wakes[^1] = (wakes[^1].First, wakes[^1].Seconds + 1);
            }
            else
            {
                wakes.Add((second, 1));
            }
        }
        return wakes;
    }

    /// <summary>Some work first: a record taken in, merged, spooled and delivered, so every stage of the daemon has run.</summary>
    private static AgentDaemon AfterOneDelivery(NodeUnderTest node)
    {
        var run = node.Daemon.Run([RepoPaths.Python, "-c", "import json"]);
        node.Collector.WaitForProcess(run.Pid);
        var daemon = node.Daemon;
        daemon.Process.WaitUntil(() => !Directory.EnumerateFiles(daemon.Spool, "*.batch").Any(), "the spool emptied");
        return daemon;
    }

    /// <summary>Voluntary context switches of each of the process's threads: every wake-up ends in one, when the thread
    /// goes back to sleep. Involuntary ones are not counted: they are a running thread preempted, and while other tests
    /// load both cores a single one-off wake-up was preempted several times (7 counted against the 4 allowed).</summary>
    internal static Dictionary<string, (string Name, long Count)> ContextSwitches(int pid)
    {
        var threads = new Dictionary<string, (string Name, long Count)>();
        foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var status = File.ReadAllLines(Path.Combine(task, "status"));
                string name = status.First(line => line.StartsWith("Name:", StringComparison.Ordinal))[5..].Trim();
                long count = long.Parse(status.First(line => line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal)).Split(':')[1].Trim(),
                    System.Globalization.CultureInfo.InvariantCulture);
                threads[Path.GetFileName(task)] = (name, count);
            }
            catch (IOException)
            {
                // the thread ended while being read
            }
        }
        return threads;
    }

    private static long ResidentKiB(int pid) => ProcessStatus.KiB(pid, "VmRSS");
}
