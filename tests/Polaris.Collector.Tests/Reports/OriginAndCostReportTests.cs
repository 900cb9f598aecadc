using Polaris.Collector.Reports;
using Polaris.Testing;

namespace Polaris.Collector.Tests.Reports;

/// <summary>The origins and import-cost reports on a store fed with summaries whose origins and times are known.</summary>
public class OriginAndCostReportTests
{
    private static readonly DateTime Today = DateTime.UtcNow.Date.AddHours(12);

    private static ReportQuery Query() => ReportQuery.Parse([], DateOnly.FromDateTime(Today));

    [Fact]
    public void Origins_counts_module_loads_by_origin_and_puts_the_libraries_loaded_from_home_first()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        // 3 ranks: numpy from a home directory, scipy from the base environment; 1 rank: yaml from the user site.
        opened.Store.Ingest(SummaryFixtures.BatchOf("b1", "n1", SummaryFixtures.Job("n1", "1", 1001, 3, Today, ["scipy", "numpy@home"])), DateTime.UtcNow);
        opened.Store.Ingest(SummaryFixtures.BatchOf("b2", "n2", SummaryFixtures.Job("n2", "2", 1002, 1, Today, ["yaml@user-site"])), DateTime.UtcNow);
        opened.Store.Fold();

        var table = new OriginsReport().Run(new ReportData(opened.Store), Query());
        var rows = table.Rows.ToDictionary(r => (string)r[0]);
        int home = table.Columns.ToList().IndexOf("home"), userSite = table.Columns.ToList().IndexOf("user-site"), baseEnv = table.Columns.ToList().IndexOf("base-env");

        Assert.Equal((3L, 1L, 3L, 4.0 / 7), ((long)rows["(all libraries)"][home], (long)rows["(all libraries)"][userSite], (long)rows["(all libraries)"][baseEnv], (double)rows["(all libraries)"][^1]));
        Assert.Equal((3L, 0L, 1.0), ((long)rows["numpy"][home], (long)rows["numpy"][baseEnv], (double)rows["numpy"][^1]));
        Assert.Equal(["(all libraries)", "numpy", "yaml", "scipy"], table.Rows.Select(r => (string)r[0]));
    }

    [Fact]
    public void Import_cost_gives_each_librarys_timed_processes_median_95th_percentile_and_process_hours()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        // SummaryFixtures times module i at (i + 1) ms: numpy 1 ms in each of 4 processes, scipy 2 ms in each of 4.
        opened.Store.Ingest(SummaryFixtures.BatchOf("b1", "n1", SummaryFixtures.Job("n1", "1", 1001, 4, Today, ["numpy", "scipy"])), DateTime.UtcNow);
        opened.Store.Fold();

        var rows = new ImportCostReport().Run(new ReportData(opened.Store), Query()).Rows.ToDictionary(r => (string)r[0]);

        // The fixture's processes record no import phase of their own (ImportNs 0): no node-hours (ImportCostNodeHoursTests).
        // 1 ms lies in [2^19, 2^20) ns, whose midpoint is 0.786 ms; 2 ms in [2^20, 2^21): 1.573 ms.
        Assert.Equal(new object[] { "scipy", 4L, 1.5 * (1 << 20) / 1e6, 1.5 * (1 << 20) / 1e6, 8e6 / 3.6e12, 0.0 }, rows["scipy"]);
        Assert.Equal(new object[] { "numpy", 4L, 1.5 * (1 << 19) / 1e6, 1.5 * (1 << 19) / 1e6, 4e6 / 3.6e12, 0.0 }, rows["numpy"]);
    }

    [Fact]
    public void Home_jobs_lists_the_jobs_that_loaded_from_home_directories_with_their_node_counts()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        opened.Store.Ingest(SummaryFixtures.BatchOf("b1", "n1", SummaryFixtures.Job("n1", "4242001.pbs", 1001, 3, Today, ["numpy@home"], nodes: 2)), DateTime.UtcNow);
        opened.Store.Ingest(SummaryFixtures.BatchOf("b2", "n2", SummaryFixtures.Job("n2", "4242002.pbs", 1002, 1, Today, ["yaml@user-site"], nodes: 1)), DateTime.UtcNow);
        opened.Store.Ingest(SummaryFixtures.BatchOf("b3", "n3", SummaryFixtures.Job("n3", "4242003.pbs", 1003, 4, Today, ["numpy"], nodes: 8)), DateTime.UtcNow);
        opened.Store.Fold();

        var rows = new HomeJobsReport().Run(new ReportData(opened.Store), Query()).Rows;

        Assert.Equal([("4242001", 1001L, 2L, 3L), ("4242002", 1002L, 1L, 1L)], rows.Select(r => ((string)r[0], (long)r[1], (long)r[4], (long)r[5])));
    }
}
