using Polaris.Collector.Reports;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests.Reports;

/// <summary>Coverage job by job, and the overlaps of the sources, over jobs whose ids each source spells its own way.</summary>
public class CoverageJobsReportTests : IDisposable
{
    private static readonly DateTime Today = DateTime.UtcNow.Date.AddHours(12);
    private readonly TempDirectory _dir = new();
    private readonly TestStore _opened;

    // Job 1234501: the agent on two nodes (3 and 2 ranks), XALT as 1234501 (1 process), PyModuleSnooper with the
    // server (2). Job 77: the agent alone (1). Job 88: XALT alone (4). Job 99: XALT as 99 (1) and PyModuleSnooper as
    // 99.polaris-pbs-01 (1). A process outside any job: no job to list.
    public CoverageJobsReportTests()
    {
        _opened = new TestStore(_dir.Path);
        Post("a1", SummaryFixtures.Job("n1", "1234501.polaris-pbs-01", 1001, 3, Today, ["numpy"]));
        Post("a2", SummaryFixtures.Job("n2", "1234501.polaris-pbs-01", 1001, 2, Today, ["numpy"]));
        Post("a3", SummaryFixtures.Job("n3", "77.polaris-pbs-01", 1002, 1, Today, ["numpy"]));
        Post("a4", SummaryFixtures.Job("login", "", 1002, 1, Today, ["numpy"]));
        Import("x1", RecordSource.Xalt, SummaryFixtures.Job("x", "1234501", 0, 1, Today, ["numpy"]));
        Import("x2", RecordSource.Xalt, SummaryFixtures.Job("x", "88", 0, 4, Today, ["numpy"]));
        Import("x3", RecordSource.Xalt, SummaryFixtures.Job("x", "99", 0, 1, Today, ["numpy"]));
        Import("p1", RecordSource.PyModuleSnooper, SummaryFixtures.Job("p", "1234501.polaris-pbs-01", 0, 2, Today, ["numpy"]));
        Import("p2", RecordSource.PyModuleSnooper, SummaryFixtures.Job("p", "99.polaris-pbs-01", 0, 1, Today, ["numpy"]));
        _opened.Store.Fold();
    }

    public void Dispose()
    {
        _opened.Dispose();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    private static ReportQuery Query(params string[] sources) =>
        ReportQuery.Parse(sources.Length == 0 ? [] : [new KeyValuePair<string, IReadOnlyList<string>>("source", sources)], DateOnly.FromDateTime(Today));

    private void Post(string key, ProcessSummary summary) => _opened.Store.Ingest(SummaryFixtures.BatchOf(key, summary.Host, summary), DateTime.UtcNow);

    private void Import(string key, RecordSource source, ProcessSummary summary) =>
        _opened.Store.Ingest(SummaryFixtures.BatchOf(key, "importer", summary with { Source = source, User = "user1001" }), DateTime.UtcNow, imported: true);

    [Fact]
    public void Each_job_lists_the_sources_that_saw_it_and_their_processes_the_most_processes_first()
    {
        var table = new CoverageJobsReport().Run(new ReportData(_opened.Store), Query());

        Assert.Equal(["job", "sources", "agent-processes", "xalt-processes", "pymodulesnooper-processes"], table.Columns);
        Assert.Equal([
            new object[] { "1234501", "agent+xalt+pymodulesnooper", 5L, 1L, 2L },
            new object[] { "88", "xalt", 0L, 4L, 0L },
            new object[] { "99", "xalt+pymodulesnooper", 0L, 1L, 1L },
            new object[] { "77", "agent", 1L, 0L, 0L }], table.Rows);
    }

    [Fact]
    public void Sources_named_narrow_the_columns_and_the_jobs()
    {
        var table = new CoverageJobsReport().Run(new ReportData(_opened.Store), Query("pymodulesnooper", "agent"));

        Assert.Equal(["job", "sources", "pymodulesnooper-processes", "agent-processes"], table.Columns);
        Assert.Equal([
            new object[] { "1234501", "pymodulesnooper+agent", 2L, 5L },
            new object[] { "77", "agent", 0L, 1L },
            new object[] { "99", "pymodulesnooper", 1L, 0L }], table.Rows);
    }

    [Fact]
    public void The_overlaps_count_a_job_once_however_each_source_spelt_it()
    {
        var rows = new CoverageReport().Run(new ReportData(_opened.Store), Query()).Rows.ToDictionary(r => (string)r[0], r => r[1]);

        Assert.Equal(2L, rows["agent"]);
        Assert.Equal(3L, rows["xalt"]);
        Assert.Equal(2L, rows["pymodulesnooper"]);
        Assert.Equal(1L, rows["agent and xalt"]);
        Assert.Equal(1L, rows["agent and pymodulesnooper"]);
        Assert.Equal(2L, rows["xalt and pymodulesnooper"]);
        Assert.Equal(1L, rows["agent and xalt and pymodulesnooper"]);
        Assert.Equal(4L, rows["any"]);
    }
}
