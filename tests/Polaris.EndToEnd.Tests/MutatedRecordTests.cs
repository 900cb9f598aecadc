using System.Globalization;
using System.Text.Json.Nodes;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>The real daemon fed thousands of hostile record files keeps running, keeps answering, and delivers the good
/// records that came with them.</summary>
public class MutatedRecordTests
{
    private const int Mutated = 2000;
    private const int Good = 20;

    [Fact]
    public void The_daemon_survives_thousands_of_mutated_record_files_and_delivers_the_good_ones_among_them()
    {
        var real = RecordMutator.RealRecords();
        var mutator = new RecordMutator(real, seed: 42);
        // Pids above any pid_max: no such process runs, so every file is taken at once, none waits for its writer.
        const int FirstPid = 10_000_000;
        long startNs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var settings = new JsonObject { ["userRecordsPerSecond"] = 1_000_000, ["userRecordBurst"] = 1_000_000 };
        using var node = new NodeUnderTest(_ => settings);
        var goodPids = new List<int>();
        for (int i = 0; i < Mutated + Good; i++)
        {
            int pid = FirstPid + i;
            byte[] bytes;
            // The good records go in among the bad, so that they share summaries and batches with them.
            if (i % (Mutated / Good) == 0 && goodPids.Count < Good)
            {
                bytes = real[goodPids.Count % real.Count];
                goodPids.Add(pid);
            }
            else
            {
                bytes = mutator.Next().Bytes;
            }
            File.WriteAllBytes(Path.Combine(node.Daemon.Drop, string.Create(CultureInfo.InvariantCulture, $"{pid}.{startNs + i}.rec")), bytes);
        }

        node.Daemon.Process.WaitUntil(() => !Directory.EnumerateFiles(node.Daemon.Drop).Any(), "every record file taken in", TimeSpan.FromMinutes(5));
        foreach (var pid in goodPids)
        {
            node.Collector.WaitForProcess(pid);
        }

        Assert.False(node.Daemon.Process.HasExited, "the daemon died:\n" + node.Daemon.Process.Output);
        var status = CommandResult.Run(AgentBinary.FilePath, ["status", "--socket", node.Daemon.StatusSocket, "--json"]);
        Assert.True(status.ExitCode == 0, status.StderrText);
        var counters = JsonNode.Parse(status.StdoutText)!["counters"]!;
        long received = counters["received"]!.GetValue<long>();
        long malformed = counters["dropped_malformed"]!.GetValue<long>();
        Assert.Equal(Mutated + Good, received + malformed);
        Assert.InRange(received, Good, Mutated + Good);
        Assert.Equal(0, counters["batches_rejected"]!.GetValue<long>());
    }
}
