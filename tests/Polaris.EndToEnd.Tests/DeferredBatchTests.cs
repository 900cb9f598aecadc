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
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(0, daemon.Run([RepoPaths.Python, Script(dir, i)]).ExitCode);
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
        // The console logger writes on a thread of its own: the line may come a moment after the move it reports.
        daemon.Process.WaitUntil(() => daemon.Process.Output.Contains("set aside under deferred/", StringComparison.Ordinal), "the log line of the set-aside batch");
    }

    [Fact]
    public void A_batch_the_collector_is_too_busy_for_waits_its_retry_after_keeps_its_place_and_is_never_set_aside()
    {
        using var dir = new TempDirectory("polaris-e2e");
        // 503 with Retry-After: 1 to the first batch's first five posts (more than the failures that make a batch
        // suspect), 200 to everything else: a busy answer says nothing about the batch.
        const int busyAnswers = 5;
        using var collector = new BatchRefusingCollector(status: 503, retryAfterSeconds: 1, refusals: busyAnswers);
        using var daemon = AgentDaemon.Start(dir.Path, collector.Url, new JsonObject { ["maxBatchSummaries"] = 1 });

        Assert.Equal(0, daemon.Run([RepoPaths.Python, "-c", "import json"]).ExitCode);
        daemon.Process.WaitUntil(() => collector.Refused is { } key && collector.Posts(key) >= 1, "the first batch answered busy");
        var busy = collector.Refused!;
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(0, daemon.Run([RepoPaths.Python, Script(dir, i)]).ExitCode);
        }

        daemon.Process.WaitUntil(() => collector.Accepted.Count >= 2, "the two batches behind the busy one delivered", TimeSpan.FromSeconds(120));

        Assert.False(File.Exists(Path.Combine(daemon.Spool, "deferred", busy + ".batch")), "a batch answered busy was set aside");
        // Kept its place: taken first, after its busy answers, and the two behind it after it.
        Assert.Equal(busy, collector.Taken[0]);
        Assert.Equal(3, collector.Taken.Count);
        Assert.Equal(busyAnswers + 1, collector.Posts(busy));
        var at = collector.RefusedAt;
        Assert.Equal(busyAnswers, at.Count);
        for (int i = 1; i < at.Count; i++)
        {
            // At least the Retry-After between two attempts (the timer's own rounding aside).
            Assert.True(at[i] - at[i - 1] >= TimeSpan.FromSeconds(0.95), $"attempt {i + 1} came {(at[i] - at[i - 1]).TotalSeconds:0.000} s after the busy answer to attempt {i}");
        }
        Assert.Empty(Directory.GetFiles(daemon.Spool, "*.batch", SearchOption.AllDirectories));
        var counters = daemon.Counters();
        Assert.Equal(0, counters["batches_deferred"]);
        Assert.Equal(3, counters["batches_delivered"]);
    }

    /// <summary>A script of its own for each run: runs of one <c>python -c</c> that end within the quiet time merge
    /// into one summary, and so one batch, where the test needs one batch per run.</summary>
    private static string Script(TempDirectory dir, int run)
    {
        var path = Path.Combine(dir.Path, $"run{run}.py");
        File.WriteAllText(path, "import csv\n");
        return path;
    }
}
