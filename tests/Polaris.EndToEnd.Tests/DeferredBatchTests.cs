using System.Text.Json;
using System.Text.Json.Nodes;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A batch that keeps failing while the collector takes others is set aside, and the batches behind it go on.</summary>
public class DeferredBatchTests
{
    [Fact]
    public void A_batch_the_collector_keeps_failing_on_is_set_aside_and_the_batches_behind_it_are_delivered()
    {
        using var dir = new TempDirectory("polaris-e2e");
        using var collector = new BatchRefusingCollector();
        // One record, one batch: the first run's batch is the one refused, the next two queue behind it.
        using var daemon = AgentDaemon.Start(dir.Path, collector.Url, new JsonObject { ["maxBatchSummaries"] = 1 });

        var first = daemon.Run([RepoPaths.Python, "-c", "import json"]);
        Assert.Equal(0, first.ExitCode);
        daemon.Process.WaitUntil(() => collector.Refused is { } key && collector.Posts(key) >= 1, "the first batch refused");
        var refused = collector.Refused!;
        // Two scripts of their own: two runs of one program that end within the quiet time would merge into one
        // summary, and so into one batch.
        for (int i = 0; i < 2; i++)
        {
            var script = dir.Combine($"behind{i}.py");
            File.WriteAllText(script, "import csv\n");
            Assert.Equal(0, daemon.Run([RepoPaths.Python, script]).ExitCode);
        }

        daemon.Process.WaitUntil(() => collector.Accepted.Count >= 2, "the two batches behind the refused one delivered", TimeSpan.FromSeconds(120));
        daemon.Process.WaitUntil(() => File.Exists(Path.Combine(daemon.Spool, "deferred", refused + ".batch")), "the refused batch set aside under deferred/");

        Assert.False(File.Exists(Path.Combine(daemon.Spool, refused + ".batch")));
        Assert.Empty(Directory.GetFiles(daemon.Spool, "*.batch"));
        var status = CommandResult.Run(AgentBinary.FilePath, ["status", "--json", "--socket", daemon.StatusSocket]);
        using var json = JsonDocument.Parse(status.Stdout);
        var counters = json.RootElement.GetProperty("counters");
        Assert.Equal(1, counters.GetProperty("batches_deferred").GetInt64());
        Assert.Equal(2, counters.GetProperty("batches_delivered").GetInt64());
        // Still waiting, so still counted as spooled.
        Assert.Equal(1, json.RootElement.GetProperty("spooled_batches").GetInt64());
        Assert.Contains("set aside under deferred/", daemon.Process.Output, StringComparison.Ordinal);
    }
}
