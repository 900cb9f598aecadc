using System.Text.Json.Nodes;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A collector's receipt that refuses summaries of an acknowledged batch is counted and logged: the daemon's
/// summaries keep within SummaryBounds, so that is a bug or a version mismatch an admin must see.</summary>
public class DeliveryReceiptTests
{
    [Fact]
    public void Summaries_refused_in_an_acknowledged_batch_are_counted_and_logged_once_with_the_first_reason()
    {
        using var dir = new TempDirectory("polaris-e2e");
        const string receipt = """
            {"batch": "k", "summaries": 0, "processes": 0, "duplicate": false,
             "refused": [{"index": 0, "reason": "module name longer than 512 bytes"}, {"index": 1, "reason": "another"}]}
            """;
        using var collector = new BatchRefusingCollector(refusals: 0, receipt: receipt);
        using var daemon = AgentDaemon.Start(dir.Path, collector.Url, new JsonObject { ["maxBatchSummaries"] = 1 });

        Assert.Equal(0, daemon.Run([RepoPaths.Python, "-c", "import json"]).ExitCode);
        daemon.Process.WaitUntil(() => collector.Taken.Count >= 1, "the batch delivered");
        daemon.Process.WaitUntil(() => daemon.Process.Output.Contains("module name longer than 512 bytes", StringComparison.Ordinal), "the refusal logged");

        var counters = daemon.Counters();
        Assert.Equal(2, counters["summaries_refused"]);
        Assert.Equal(1, counters["batches_delivered"]);
        Assert.Empty(Directory.GetFiles(daemon.Spool, "*.batch", SearchOption.AllDirectories));
        // Once per batch, with the first reason only.
        var output = daemon.Process.Output;
        Assert.Equal(1, output.Split("module name longer than 512 bytes").Length - 1);
        Assert.DoesNotContain("another", output, StringComparison.Ordinal);
    }
}
