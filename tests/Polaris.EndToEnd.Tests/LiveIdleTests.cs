using System.Text.Json.Nodes;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A process that imports and then sleeps costs the daemon one read: once its live version is shipped, the
/// daemon does not wake for it again while it sleeps (issue 11: no timer while no file is open and growing).</summary>
[Collection(QuietMachine.Name)]
public class LiveIdleTests
{
    [Fact]
    public void A_sleeping_process_shipped_live_wakes_the_daemon_no_more()
    {
        using var dir = new TempDirectory("polaris-e2e");
        using var collector = new SummaryCapture();
        var settings = new JsonObject { ["summaryWindowMs"] = 2000, ["summaryQuietMs"] = 200, ["liveAfterMs"] = 500 };
        using var daemon = AgentDaemon.Start(dir.Path, collector.Url, settings);
        using var python = ChildProcess.Start(AgentBinary.FilePath,
            ["run", "--drop", daemon.Drop, "--", RepoPaths.Python, "-c", "import json, numpy; print('ready', flush=True); import time; time.sleep(600)"]);
        collector.WaitFor(s => s.Members.Any(m => m.Pid == python.Pid), "the live version");
        daemon.Process.WaitUntil(() => !Directory.EnumerateFiles(daemon.Spool, "*.batch").Any(), "the spool emptied");
        Thread.Sleep(TimeSpan.FromSeconds(3)); // the acknowledgement's own work settles

        var woken = new List<int>();
        var seconds = new List<string>();
        var last = IdleTests.ContextSwitches(daemon.Process.Pid);
        for (int second = 1; second <= 30; second++)
        {
            Thread.Sleep(TimeSpan.FromSeconds(1));
            var now = IdleTests.ContextSwitches(daemon.Process.Pid);
            var woke = now.Where(t => t.Value.Count > (last.TryGetValue(t.Key, out var was) ? was.Count : 0)).Select(t => t.Value.Name).ToList();
            if (woke.Count > 0)
            {
                woken.Add(second);
                seconds.Add($"{second} s: " + string.Join(", ", woke));
            }
            last = now;
        }

        // As IdleTests: one wake may come from the runtime's timer thread after the last request (its timeout's due time).
        var wakes = IdleTests.Wakes(woken);
        Assert.True(wakes.Count <= 1, $"{wakes.Count} wakes in 30 s while the process slept: " + string.Join("; ", seconds));
        Assert.False(python.HasExited);
        Assert.Single(collector.Of(python.Pid));
    }
}
