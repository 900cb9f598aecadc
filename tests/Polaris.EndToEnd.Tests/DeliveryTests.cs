using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>Nothing lost, nothing doubled: records survive a collector that goes away and a daemon that is killed.</summary>
public class DeliveryTests
{
    private const string Workload = "import json";

    [Fact]
    public void Records_made_while_the_collector_is_down_are_each_counted_once_when_it_is_back()
    {
        using var dir = new TempDirectory("polaris-e2e");
        Uri url;
        using (var first = CollectorProcess.Start(dir.Combine("collector")))
        {
            url = first.Url;
        }
        using var daemon = AgentDaemon.Start(dir.Path, url);
        var pids = Enumerable.Range(0, 5).Select(_ => Run(daemon)).ToList();
        daemon.Process.WaitUntil(() => daemon.Process.Output.Contains("failed, will retry", StringComparison.Ordinal), "a failed delivery");

        using var collector = CollectorProcess.StartOn(url, dir.Combine("collector"));
        pids.Add(Run(daemon));

        AssertEachCountedOnce(collector, pids);
    }

    [Fact]
    public void A_daemon_killed_in_the_middle_of_a_stream_and_restarted_loses_and_doubles_nothing()
    {
        using var node = new NodeUnderTest();
        var python = Enumerable.Range(0, 8)
            .Select(_ => ChildProcess.Start(AgentBinary.FilePath, ["run", "--drop", node.Daemon.Drop, "--", RepoPaths.Python, "-c", Workload]))
            .ToList();
        // Killed while those eight are starting, importing and handing their records over.
        Thread.Sleep(150);
        node.Daemon.Process.KillHard();
        var pids = python.Select(p =>
        {
            p.WaitUntil(() => p.HasExited, "the end of python " + p.Pid);
            return p.Pid;
        }).ToList();
        python.ForEach(p => p.Dispose());
        // Made while no daemon runs: the record waits in the drop folder.
        pids.Add(CommandResult.Run(AgentBinary.FilePath, ["run", "--drop", node.Daemon.Drop, "--", RepoPaths.Python, "-c", Workload]).Pid);

        using var restarted = AgentDaemon.Start(node.Folder, node.Collector.Url);

        AssertEachCountedOnce(node.Collector, pids);
    }

    private static int Run(AgentDaemon daemon)
    {
        var run = daemon.Run([RepoPaths.Python, "-c", Workload]);
        Assert.Equal(0, run.ExitCode);
        return run.Pid;
    }

    private static void AssertEachCountedOnce(CollectorProcess collector, IReadOnlyList<int> pids)
    {
        foreach (var pid in pids)
        {
            collector.WaitForProcess(pid);
        }
        var stored = collector.StoredPids().Order().ToArray();
        Assert.Equal(pids.Order().ToArray(), stored);
        Assert.Equal(pids.Count, collector.Metric("polaris_python_processes_total"));
    }
}
