using Polaris.Collector.Reports;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests.Reports;

/// <summary>The reports over a store fed with the agent's summaries and imported ones: figures worked out by hand from
/// what was ingested, across days, sources, domains and environments.</summary>
public class ReportTests : IDisposable
{
    private static readonly DateTime Today = DateTime.UtcNow.Date.AddHours(12);
    private readonly TempDirectory _dir = new();
    private readonly TestStore _opened;

    public ReportTests()
    {
        _opened = new TestStore(_dir.Path, domainOf: account => account switch { "CompSciProj" => "Computer Science", "ClimateProj" => "Earth Science", _ => "unknown" });
        var yesterday = Today.AddDays(-1);
        // Agent: uid 1001 (CS) numpy+scipy in the base env on two days; uid 1002 (CS) torch+numpy in a conda env;
        // uid 1003 (climate) numpy in the base env and torch in a venv.
        Post("a1", SummaryFixtures.Job("n1", "101", 1001, 2, yesterday, ["numpy", "scipy"], EnvironmentKind.BaseEnv, "CompSciProj"));
        Post("a2", SummaryFixtures.Job("n1", "102", 1001, 1, Today, ["numpy"], EnvironmentKind.BaseEnv, "CompSciProj"));
        Post("a3", SummaryFixtures.Job("n2", "103", 1002, 4, Today, ["torch", "numpy"], EnvironmentKind.CondaEnv, "CompSciProj"));
        Post("a4", SummaryFixtures.Job("n3", "104", 1003, 1, Today, ["numpy"], EnvironmentKind.BaseEnv, "ClimateProj"));
        Post("a5", SummaryFixtures.Job("n3", "105", 1003, 1, Today, ["torch"], EnvironmentKind.Venv, "ClimateProj"));
        // XALT saw job 103 (as 103, cut short) for user1002, and job 200 of a user the agent never saw.
        Import("x1", SummaryFixtures.Job("vm", "103", 0, 1, Today, ["torch"], EnvironmentKind.CondaEnv, "CompSciProj") with { Source = RecordSource.Xalt, User = "user1002" });
        Import("x2", SummaryFixtures.Job("vm", "200.polaris-pbs-01", 0, 1, Today, ["pandas"], EnvironmentKind.BaseEnv, "CompSciProj") with { Source = RecordSource.Xalt, User = "ghost" });
        _opened.Store.Fold();
    }

    private ReportData Data => new(_opened.Store);

    private static ReportQuery Query(params (string Name, string Value)[] parameters) =>
        ReportQuery.Parse(parameters.GroupBy(p => p.Name).Select(g => new KeyValuePair<string, IReadOnlyList<string>>(g.Key, g.Select(p => p.Value).ToArray())),
            DateOnly.FromDateTime(Today));

    private void Post(string key, ProcessSummary summary) => _opened.Store.Ingest(SummaryFixtures.BatchOf(key, summary.Host, summary), DateTime.UtcNow);

    private void Import(string key, ProcessSummary summary) => _opened.Store.Ingest(SummaryFixtures.BatchOf(key, "importer", summary), DateTime.UtcNow, imported: true);

    private static Dictionary<string, object[]> ByFirstCell(ReportTable table) => table.Rows.ToDictionary(r => (string)r[0], r => r);

    [Fact]
    public void Libraries_ranks_by_distinct_users_across_days_and_sources_with_the_share_of_python_users()
    {
        var rows = ByFirstCell(new LibrariesReport().Run(Data, Query()));

        // Python: 1001, 1002, 1003 and XALT's ghost (user1002 from XALT is uid 1002); jobs 101 to 105 and 200 (XALT's 103 is the agent's).
        Assert.Equal(new object[] { "(all Python)", 4L, 6L, 11L, 1.0 }, rows["(all Python)"]);
        Assert.Equal(new object[] { "numpy", 3L, 4L, 8L, 0.75 }, rows["numpy"]);
        Assert.Equal(new object[] { "torch", 2L, 2L, 6L, 0.5 }, rows["torch"]);
        Assert.Equal(new object[] { "scipy", 1L, 1L, 2L, 0.25 }, rows["scipy"]);
        Assert.Equal(["(all Python)", "numpy", "torch"], new LibrariesReport().Run(Data, Query()).Rows.Take(3).Select(r => (string)r[0]));
    }

    [Fact]
    public void Sources_and_days_narrow_what_is_counted()
    {
        var agentToday = ByFirstCell(new LibrariesReport().Run(Data, Query(("source", "agent"), ("since", ReportQuery.Text(DateOnly.FromDateTime(Today))))));
        var xalt = ByFirstCell(new LibrariesReport().Run(Data, Query(("source", "xalt"))));

        Assert.Equal(new object[] { "numpy", 3L, 3L, 6L, 1.0 }, agentToday["numpy"]);
        Assert.False(agentToday.ContainsKey("scipy"));
        Assert.Equal(new object[] { "pandas", 1L, 1L, 1L, 0.5 }, xalt["pandas"]);
        Assert.False(xalt.ContainsKey("numpy"));
    }

    [Fact]
    public void Domains_lists_each_domains_libraries_and_the_domain_filter_counts_only_that_domain()
    {
        var table = new DomainsReport().Run(Data, Query());
        var cs = table.Rows.Where(r => (string)r[0] == "Computer Science").ToDictionary(r => (string)r[1]);
        var climate = ByFirstCell(new LibrariesReport().Run(Data, Query(("domain", "Earth Science"))));

        Assert.Equal(new object[] { "Computer Science", "numpy", 2L, 3L, 7L, 2.0 / 3 }, cs["numpy"]);
        Assert.Equal(3L, cs["(all Python)"][2]);
        Assert.Equal(new object[] { "numpy", 1L, 1L, 1L, 1.0 }, climate["numpy"]);
        Assert.Equal(new object[] { "torch", 1L, 1L, 1L, 1.0 }, climate["torch"]);
    }

    [Fact]
    public void Environments_splits_each_librarys_users_into_base_only_custom_only_and_both()
    {
        var rows = ByFirstCell(new EnvironmentsReport().Run(Data, Query(("library", "numpy"), ("library", "torch"), ("source", "agent"))));

        // numpy: 1001 and 1003 in the base env only, 1002 in a conda env only. torch: 1002 conda, 1003 venv.
        Assert.Equal(new object[] { "numpy", 3L, 2L, 1L, 0L, 0L }, rows["numpy"]);
        Assert.Equal(new object[] { "torch", 2L, 0L, 2L, 0L, 0L }, rows["torch"]);
    }

    [Fact]
    public void Trends_gives_each_day_its_distinct_users_jobs_and_processes()
    {
        var table = new TrendsReport().Run(Data, Query(("library", "numpy"), ("source", "agent")));
        var numpy = table.Rows.Where(r => (string)r[1] == "numpy").Select(r => ((string)r[0], (long)r[2], (long)r[3], (long)r[4])).ToArray();

        Assert.Equal([
            (ReportQuery.Text(DateOnly.FromDateTime(Today.AddDays(-1))), 1L, 1L, 2L),
            (ReportQuery.Text(DateOnly.FromDateTime(Today)), 3L, 3L, 6L)], numpy);
    }

    [Fact]
    public void Coverage_counts_each_sources_jobs_and_what_they_saw_in_common()
    {
        var rows = ByFirstCell(new CoverageReport().Run(Data, Query(("source", "agent"), ("source", "xalt"))));

        Assert.Equal(new object[] { "agent", 5L, 3L, 9L }, rows["agent"]);
        Assert.Equal(new object[] { "xalt", 2L, 2L, 2L }, rows["xalt"]);
        Assert.Equal(new object[] { "agent and xalt", 1L, 1L, "" }, rows["agent and xalt"]);
        Assert.Equal(new object[] { "any", 6L, 4L, "" }, rows["any"]);
    }

    [Theory]
    [InlineData("sinc=2026-01-01", "unknown parameter 'sinc'")]
    [InlineData("since=2026-13-01", "is not a date")]
    [InlineData("source=slurm", "none of agent, xalt, pymodulesnooper")]
    [InlineData("since=2026-02-01&until=2026-01-01", "is after until")]
    [InlineData("since=2000-01-01&until=2026-01-01", "more than 3660 days")]
    public void A_wrong_query_says_what_is_wrong(string query, string reason)
    {
        var parameters = query.Split('&').Select(p => p.Split('=')).Select(p => (p[0], p[1])).ToArray();

        var error = Assert.Throws<ReportQueryException>(() => Query(parameters));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_writers_print_the_same_rows_as_an_aligned_table_csv_and_json_that_reads_back()
    {
        var table = new LibrariesReport().Run(Data, Query());
        using var text = new StringWriter();
        using var csv = new StringWriter();
        ReportWriter.Write(text, table, "table");
        ReportWriter.Write(csv, table, "csv");
        var back = ReportJson.Read(ReportWriter.Json(table));

        var lines = text.ToString().Split('\n');
        Assert.StartsWith("Libraries by distinct users: UTC days", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^library\s+users\s+jobs\s+processes\s+user-share$", lines[1]);
        Assert.Matches(@"^numpy\s+3\s+4\s+8\s+0\.75$", lines.Single(l => l.StartsWith("numpy", StringComparison.Ordinal)));
        Assert.Contains("numpy,3,4,8,0.75\r\n", csv.ToString(), StringComparison.Ordinal);
        Assert.Equal(table.Columns, back.Columns);
        Assert.Equal(table.Rows, back.Rows);
    }

    public void Dispose()
    {
        _opened.Dispose();
        _dir.Dispose();
    }
}
