using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests;

/// <summary>Versions of a live summary (a job still running) count every process once, whatever mix of versions
/// arrives, in any order, with retries (docs/collector.md, "Live summaries").</summary>
public class LiveSummaryStoreTests
{
    private static readonly DateTime Start = DateTime.UtcNow.AddMinutes(-30);

    /// <summary>Version 1: two ranks; version 2: four, the new ones with scipy; version 3 (final): rank 0 also took yaml.</summary>
    private static ProcessSummary Version(uint version)
    {
        int ranks = version == 1 ? 2 : 4;
        var summary = SummaryFixtures.Job("n1", "900", 1001, ranks, Start, ["numpy", "home_pkg@home"]);
        var modules = summary.Modules.ToList();
        if (version >= 2)
        {
            modules.Add(new ModuleUse("scipy", "/opt/conda/lib/python3.11/site-packages/scipy/__init__.py") { Origin = Origin.BaseEnv, Processes = 2, Members = [2, 3] });
        }
        if (version >= 3)
        {
            modules.Add(new ModuleUse("yaml", "/usr/lib/python3/dist-packages/yaml/__init__.py") { Origin = Origin.System, Processes = 1, Members = [0] });
        }
        return summary with { Modules = modules, SummaryId = "n1:live:1", Version = version, Final = version == 3 };
    }

    public static TheoryData<uint[]> Orders => new() { new uint[] { 1, 2, 3 }, new uint[] { 3, 1, 2 }, new uint[] { 2, 2, 1, 3, 3, 1 }, new uint[] { 1, 3 } };

    [Theory]
    [MemberData(nameof(Orders))]
    public void Every_process_and_library_is_counted_once_whatever_the_order_of_versions(uint[] order)
    {
        using var dir = new TempDirectory();
        using (var opened = new TestStore(dir.Path))
        {
            int batch = 0;
            foreach (var version in order)
            {
                opened.Store.Ingest(SummaryFixtures.BatchOf($"b{batch++}", "n1", Version(version)), DateTime.UtcNow);
            }
            Check(opened);
            Assert.Equal(1, opened.Store.SummaryCountLatest());
        }
        // And after a restart that folds them again (nothing was folded before it).
        using var reopened = new TestStore(dir.Path);
        Check(reopened);
    }

    [Fact]
    public void Another_node_naming_the_same_summary_id_cannot_stop_it_counting()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);

        // A forged later version from another node first, then the real node's versions.
        opened.Store.Ingest(SummaryFixtures.BatchOf("forged", "evil", Version(3) with { Version = 1_000_000 }), DateTime.UtcNow);
        opened.Store.Ingest(SummaryFixtures.BatchOf("b1", "n1", Version(1)), DateTime.UtcNow);
        opened.Store.Ingest(SummaryFixtures.BatchOf("b3", "n1", Version(3)), DateTime.UtcNow);

        // The real summary counts its 4 processes (the forged one counts its own 4 on node "evil").
        Assert.Equal(8, MetricsText.Value(opened.Text(), "polaris_python_processes_total"));
        Assert.Equal(1, MetricsText.Value(opened.Text(), "polaris_collector_live_versions_total{result=\"counted\"}"));
    }

    private static void Check(TestStore opened)
    {
        var text = opened.Text();
        Assert.Equal(4, MetricsText.Value(text, "polaris_python_processes_total"));
        Assert.Equal(1, MetricsText.Value(text, "polaris_summaries_total"));
        Assert.Equal(4, MetricsText.Value(text, "polaris_library_processes_total{library=\"numpy\"}"));
        Assert.Equal(2, MetricsText.Value(text, "polaris_library_processes_total{library=\"scipy\"}"));
        Assert.Equal(1, MetricsText.Value(text, "polaris_library_processes_total{library=\"yaml\"}"));
        Assert.Equal(4, MetricsText.Value(text, "polaris_library_module_loads_total{library=\"home_pkg\",origin=\"home\"}"));
        Assert.Equal(4, MetricsText.Value(text, "polaris_library_import_duration_seconds_count{library=\"numpy\"}"));
        Assert.Equal(4, MetricsText.Value(text, "polaris_home_loading_job_processes{pbs_job=\"900\"}"));
    }
}
