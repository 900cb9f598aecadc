using System.Text.Json.Nodes;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A collector down for long costs the oldest data, counted, never the node's disk; what is kept is counted
/// once when the collector is back.</summary>
public class SpoolBoundTests
{
    private const int SpoolMaxBytes = 65_536;
    private const int Runs = 6;

    [Fact]
    public void With_the_collector_down_the_spool_keeps_within_its_bound_by_dropping_the_oldest_and_the_rest_arrives_once()
    {
        using var dir = new TempDirectory("polaris-e2e");
        // Nothing listens on the discard port: every delivery fails and batches stay in the spool.
        var down = new Uri("http://127.0.0.1:9/");
        var settings = new JsonObject { ["spoolMaxBytes"] = SpoolMaxBytes, ["spoolMinFreeBytes"] = 0, ["maxBatchSummaries"] = 1 };
        var pids = new List<int>();
        string stopped;
        using (var daemon = AgentDaemon.Start(dir.Path, down, settings))
        {
            for (int i = 0; i < Runs; i++)
            {
                // About a thousand modules: a batch of one such record takes some 25 KB in the spool.
                var run = daemon.Run([RepoPaths.Python, "-c", "import scipy.stats, pandas"]);
                Assert.Equal(0, run.ExitCode);
                pids.Add(run.Pid);
                // One record, one batch: spooled when its drop file is gone.
                daemon.Process.WaitUntil(() => !Directory.EnumerateFiles(daemon.Drop).Any(), "the record of run " + i + " spooled");
                Assert.InRange(SpooledBytes(daemon.Spool), 1, SpoolMaxBytes);
            }
            daemon.Process.Terminate();
            stopped = daemon.Process.Output;
        }
        var kept = Directory.GetFiles(Path.Combine(dir.Path, "spool"), "*.batch").Length;
        var dropped = AgentDaemon.StoppedCounters(stopped)["spool_dropped_batches"];
        Assert.True(dropped > 0, Runs + " records of a thousand modules should not fit in 64 KiB:\n" + stopped);
        Assert.Equal(Runs, kept + dropped);
        Assert.Contains("The spool was past its bounds", stopped, StringComparison.Ordinal);

        using var collector = CollectorProcess.Start(dir.Combine("collector"));
        using var back = AgentDaemon.Start(dir.Path, collector.Url, settings);
        // The newest records are the ones kept, and each is counted once.
        foreach (var pid in pids[^kept..])
        {
            collector.WaitForProcess(pid);
        }
        back.Process.WaitUntil(() => !Directory.EnumerateFiles(back.Spool, "*.batch").Any(), "the spool emptied");
        Assert.Equal(kept, collector.StoredPids().Length);
        Assert.Equal(kept, collector.Metric("polaris_python_processes_total"));
    }

    private static long SpooledBytes(string spool) => Directory.GetFiles(spool, "*.batch").Sum(f => new FileInfo(f).Length);
}
