using System.Net;
using Polaris.Testing;
using Polaris.Wire;
using Xunit.Abstractions;

namespace Polaris.Collector.Tests;

/// <summary>LiteDB's log file grows without bound when its own checkpoints give up under constant readers (LiteDB
/// #2814); the collector runs its own, which wait for the readers (docs/collector.md, "Checkpoints").</summary>
public class CheckpointTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_long_stream_of_batches_read_by_reports_all_along_keeps_the_log_file_bounded()
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.StartWith(["serve", "--urls", "http://127.0.0.1:0", "--data", dir.Path],
            new Dictionary<string, string> { ["POLARIS_COLLECTOR_CHECKPOINT_SECONDS"] = "1", ["POLARIS_COLLECTOR_MAX_LOG_BYTES"] = (4 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var log = Path.Combine(dir.Path, "polaris-log.db");
        var modules = Enumerable.Range(0, 300).Select(i => $"pkg{i % 30}.mod{i}").ToArray();
        using var stop = new CancellationTokenSource();
        long reads = 0;
        // Readers that never let go: reports and scrapes, back to back.
        var readers = Enumerable.Range(0, 3).Select(r => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await collector.Http.GetAsync(r == 0 ? "metrics" : r == 1 ? "v1/libraries" : "v1/summaries?limit=20");
                Interlocked.Increment(ref reads);
            }
        })).ToArray();
        long largest = 0, written = 0;
        for (int i = 0; i < 300; i++)
        {
            var batch = SummaryFixtures.BatchOf($"stream-{i}", $"x{i % 50}", SummaryFixtures.Job($"x{i % 50}", $"{i}", 3000, 2, DateTime.UtcNow.AddMinutes(-1), [.. modules, $"unique{i}"]));
            var body = BatchCodec.Encode(batch);
            written += body.Length;
            using var response = await collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            largest = Math.Max(largest, File.Exists(log) ? new FileInfo(log).Length : 0);
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        var store = new FileInfo(Path.Combine(dir.Path, "polaris.db")).Length;
        output.WriteLine($"300 batches ({written >> 10} KiB compressed), {reads} reads alongside; log at most {largest >> 20} MiB, database {store >> 20} MiB; {collector.Metric("polaris_collector_checkpoints_total")} checkpoints");

        Assert.True(reads > 100, $"only {reads} reads ran alongside");
        Assert.True(collector.Metric("polaris_collector_checkpoints_total") >= 3);
        // Without the collector's own checkpoints the log holds every page written (tens of MiB here).
        Assert.InRange(largest, 0, 12L << 20);
        Assert.True(store > 4L << 20, "the stream wrote into the database itself");
    }
}
