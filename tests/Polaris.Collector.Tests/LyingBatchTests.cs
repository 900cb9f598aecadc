using System.Net;
using Polaris.Testing;
using Polaris.Wire;
using Xunit.Abstractions;

namespace Polaris.Collector.Tests;

/// <summary>Batches that decode but lie: what they claim cannot blow up the label budget, the roll-ups or the
/// collector's memory, and what is clipped is counted by reason.</summary>
public class LyingBatchTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_flood_of_made_up_library_names_from_one_user_takes_a_bounded_share_of_labels_and_roll_ups()
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.Start(dir.Path);
        var start = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds();
        // 12 batches of 16,384 distinct top-level names each: 196,608 libraries no one else uses.
        for (int b = 0; b < 12; b++)
        {
            var record = new ProcessRecord
            {
                Host = "node1", Uid = 6666, User = "", Pid = 100 + b, StartedAtMs = start, EndedAtMs = start + 1000,
                Modules = Enumerable.Range(0, SummaryBounds.MaxModulesPerSummary).Select(i => new ModuleImport($"fake_{b}_{i}", "")).ToArray(),
            };
            var batch = new Batch { Key = $"flood-{b}", Node = "node1", CreatedAtMs = start, Summaries = SummaryBuilder.Summarize([record]) };
            using var response = await collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(BatchCodec.Encode(batch)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        // A real user's numpy still gets its own series.
        var real = SummaryFixtures.BatchOf("real", "node2", SummaryFixtures.Job("node2", "1", 1001, 2, DateTime.UtcNow.AddMinutes(-1), ["numpy"]));
        using (var response = await collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(BatchCodec.Encode(real))))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var text = collector.Metrics();
        int series = text.Split('\n').Count(l => l.Length > 0 && l[0] != '#');
        var resident = ProcessStatus.KiB(collector.Process.Pid, "VmHWM") << 10;
        output.WriteLine($"{series} series after 196,608 made-up libraries; {MetricsText.Value(text, "polaris_collector_library_labels")} labels, {MetricsText.Value(text, "polaris_collector_library_folds_total")} folds; peak {resident >> 20} MiB");
        Assert.InRange(MetricsText.Value(text, "polaris_collector_library_labels") ?? 0, 1, 201);
        Assert.Equal(2, MetricsText.Value(text, "polaris_library_processes_total{library=\"numpy\"}"));
        Assert.True(MetricsText.Value(text, "polaris_collector_library_folds_total") > 190_000);
        Assert.InRange(series, 1, 10_000);
        Assert.InRange(resident, 0, 1536L << 20);
    }

    [Fact]
    public void A_summary_dated_years_away_is_counted_on_the_day_it_arrived_and_the_clip_counted()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);

        opened.Store.Ingest(SummaryFixtures.BatchOf("future", "n1", SummaryFixtures.Job("n1", "5", 1001, 1, DateTime.UtcNow.AddYears(30), ["numpy"])), DateTime.UtcNow);
        opened.Store.Ingest(SummaryFixtures.BatchOf("past", "n1", SummaryFixtures.Job("n1", "6", 1002, 1, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc), ["numpy"])), DateTime.UtcNow);

        var text = opened.Text();
        Assert.Equal(2, MetricsText.Value(text, "polaris_collector_summaries_clipped_total{reason=\"start_time\"}"));
        Assert.Equal(2, MetricsText.Value(text, "polaris_library_users{library=\"numpy\",window=\"1d\"}"));
    }
}
