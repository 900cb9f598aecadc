using System.Net;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests;

/// <summary>A collector killed in the middle of ingest, or stopped, comes back with nothing acknowledged lost,
/// nothing counted twice and every metric as it was (docs/collector.md, "Crashes").</summary>
public class CrashTests
{
    private static readonly DateTime Start = DateTime.UtcNow.AddMinutes(-10);

    private static Batch[] Batches(int count) => Enumerable.Range(0, count).Select(i =>
        SummaryFixtures.BatchOf($"crash-{i:D4}", $"x{i % 40:D4}", SummaryFixtures.Job($"x{i % 40:D4}", $"{500 + (i % 5)}", (uint)(2000 + (i % 3)), 1 + (i % 4), Start,
            i % 2 == 0 ? ["numpy", "numpy.linalg", "scipy@home"] : ["yaml", "torch@user-site"]))).ToArray();

    [Fact]
    public async Task A_kill_9_in_the_middle_of_ingest_loses_nothing_acknowledged_and_counts_nothing_twice()
    {
        using var dir = new TempDirectory();
        var batches = Batches(400);
        int total = batches.Sum(b => b.Processes);
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<int>();
        var collector = CollectorProcess.Start(dir.Path);
        try
        {
            // Eight posters, as agents post; the collector is killed while they are at it.
            int next = -1;
            var posting = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                for (int i; (i = Interlocked.Increment(ref next)) < batches.Length;)
                {
                    try
                    {
                        using var response = await collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(BatchCodec.Encode(batches[i])));
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            acknowledged.Add(i);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the collector is gone
                    }
                }
            })).ToArray();
            collector.Process.WaitUntil(() => acknowledged.Count >= 150, "150 batches acknowledged");
            collector.Process.KillHard();
            await Task.WhenAll(posting);
        }
        finally
        {
            collector.Dispose();
        }
        int acked = acknowledged.Sum(i => batches[i].Processes);

        using var restarted = CollectorProcess.Start(dir.Path);
        var counted = restarted.Metric("polaris_python_processes_total") ?? 0;
        var afterRestart = restarted.Metrics();
        // Everything acknowledged is there; what was stored but not yet acknowledged may be there too.
        Assert.InRange(counted, acked, total);
        Assert.Equal(counted, restarted.Summaries().Sum(s => s.GetProperty("procs").GetInt32()));
        // The agents retry whatever they have not had acknowledged, and some that were: each is counted once.
        foreach (var batch in batches)
        {
            using var response = await restarted.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(BatchCodec.Encode(batch)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(total, restarted.Metric("polaris_python_processes_total"));
        Assert.Equal(batches.Sum(b => b.Summaries[0].Modules.Any(m => m.Name == "numpy") ? b.Processes : 0),
            restarted.Metric("polaris_library_processes_total{library=\"numpy\"}"));
        Assert.Equal(3, restarted.Metric("polaris_users{window=\"1d\"}"));
        Assert.Equal(5, restarted.Metric("polaris_active_jobs{window=\"1d\"}"));
        Assert.NotNull(MetricsText.Value(afterRestart, "polaris_library_import_duration_seconds_count{library=\"numpy\"}"));
    }

    [Fact]
    public async Task After_SIGTERM_a_restart_has_nothing_to_fold_again_and_every_series_is_as_it_was()
    {
        using var dir = new TempDirectory();
        string before;
        using (var collector = CollectorProcess.Start(dir.Path))
        {
            foreach (var batch in Batches(60))
            {
                using var response = await collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(BatchCodec.Encode(batch)));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            before = Kept(collector.Metrics());
            Assert.Equal(0, collector.Process.Terminate());
        }

        using var restarted = CollectorProcess.Start(dir.Path);

        Assert.Equal(0, restarted.Metric("polaris_collector_unfolded_summaries"));
        Assert.Equal(before, Kept(restarted.Metrics()));
    }

    /// <summary>Series a restart must keep: everything but times, sizes and what scrapes change; values to 9 digits
    /// (a histogram's sum added up over many batches differs from the stored total in the last bits of a double).</summary>
    private static string Kept(string text) => string.Join('\n', text.Split('\n').Select(Rounded).Where(l => l.Length > 0 && l[0] != '#'
        && !l.StartsWith("polaris_collector_store_", StringComparison.Ordinal) && !l.StartsWith("polaris_collector_last_checkpoint", StringComparison.Ordinal)
        && !l.StartsWith("polaris_collector_checkpoints", StringComparison.Ordinal) && !l.StartsWith("polaris_collector_unfolded", StringComparison.Ordinal)
        && !l.StartsWith("polaris_collector_ingest_bytes", StringComparison.Ordinal) && !l.StartsWith("polaris_collector_pruned", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

    private static string Rounded(string line)
    {
        int space = line.LastIndexOf(' ');
        return line.Length > 0 && line[0] != '#' && space > 0 && double.TryParse(line[(space + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? line[..space] + " " + value.ToString("G9", System.Globalization.CultureInfo.InvariantCulture)
            : line;
    }
}
