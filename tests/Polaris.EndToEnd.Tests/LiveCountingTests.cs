using System.Text.Json.Nodes;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>The real collector counts a process shipped live and again at its end once: the daemon's versions and the
/// collector's live summaries together (issue 11).</summary>
public class LiveCountingTests
{
    [Fact]
    public void A_process_shipped_while_it_runs_and_at_its_end_is_counted_once_by_the_collector()
    {
        using var node = new NodeUnderTest(_ => new JsonObject { ["summaryWindowMs"] = 2000, ["summaryQuietMs"] = 200, ["liveAfterMs"] = 500 });
        var stop = Path.Combine(node.Folder, "stop");
        using var python = ChildProcess.Start(AgentBinary.FilePath, ["run", "--drop", node.Daemon.Drop, "--", RepoPaths.Python, "-c",
            "import os, sys, time, numpy\nprint('ready', flush=True)\nwhile not os.path.exists(sys.argv[1]):\n    time.sleep(0.05)\nimport yaml\n", stop]);
        python.WaitUntil(() => python.Output.Contains("ready", StringComparison.Ordinal), "ready");

        var running = node.Collector.WaitForProcess(python.Pid);
        node.Collector.WaitForMetric("polaris_library_processes_total{library=\"numpy\"}", 1);
        Assert.False(python.HasExited, "counted while it runs");
        Assert.Equal("running", running.Member(python.Pid).Text("exit"));
        File.WriteAllText(stop, "");
        Assert.Equal(0, python.WaitForExit());
        node.Collector.WaitForMetric("polaris_library_processes_total{library=\"yaml\"}", 1);
        node.Daemon.Process.WaitUntil(() => !Directory.EnumerateFileSystemEntries(node.Daemon.Drop).Any(), "the drop folder emptied");

        Assert.Equal(1, node.Collector.Metric("polaris_python_processes_total"));
        Assert.Equal(1, node.Collector.Metric("polaris_library_processes_total{library=\"numpy\"}"));
        // The collector shows the latest version of a live summary.
        node.Collector.Process.WaitUntil(() => node.Collector.Summaries()
            .SelectMany(s => s.Members()).Any(m => m.Number("pid") == python.Pid && m.Text("exit") == "exit"), "the process stored as ended");
        Assert.Single(node.Collector.StoredPids(), pid => pid == python.Pid);
    }
}
