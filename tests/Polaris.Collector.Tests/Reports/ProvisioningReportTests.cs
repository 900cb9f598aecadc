using Polaris.Collector.Reports;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests.Reports;

/// <summary>The provisioning report and its environment.yml fragment on summaries whose origins, versions, users and
/// domains are known.</summary>
public class ProvisioningReportTests
{
    private static readonly DateTime Today = DateTime.UtcNow.Date.AddHours(12);

    private static ProcessSummary Process(string node, uint uid, string account, params (string Name, string Version, Origin Origin)[] modules) =>
        SummaryBuilder.Summarize([new ProcessRecord
        {
            Host = node, Uid = uid, User = "user" + uid, Pid = 100, RecordId = $"{node}:{uid}",
            StartedAtMs = new DateTimeOffset(Today).ToUnixTimeMilliseconds(), EndedAtMs = new DateTimeOffset(Today).ToUnixTimeMilliseconds() + 1000,
            Job = new JobContext { JobId = $"{uid}.pbs", Account = account },
            Modules = [.. modules.Select(m => new ModuleImport(m.Name, $"/somewhere/{m.Name}/__init__.py") { Version = m.Version, Origin = m.Origin })],
            Times = [.. modules.Select(_ => new ImportTime(1000, 1000))],
        }]).Single();

    private static readonly string BaseEnvironment = Path.Combine(RepoPaths.Root, "tests", "Polaris.Collector.Tests", "Reports", "base-env", "environment.yml");

    /// <summary>torch from outside the base for three users (2.1.0 twice, 2.0.1), numpy from a user site for one
    /// (1.24.0) and from the base for two (1.26.4).</summary>
    private static void Fill(TestStore opened)
    {
        var summaries = new[]
        {
            Process("n1", 1001, "CSProj", ("torch", "2.1.0", Origin.CustomEnv), ("numpy", "1.26.4", Origin.BaseEnv)),
            Process("n2", 1002, "ClimateProj", ("torch", "2.1.0", Origin.UserSite)),
            Process("n3", 1003, "CSProj", ("torch", "2.0.1", Origin.Venv), ("numpy", "1.24.0", Origin.UserSite), ("_cffi_backend", "", Origin.UserSite)),
            Process("n4", 1004, "CSProj", ("numpy", "1.26.4", Origin.BaseEnv)),
        };
        for (int i = 0; i < summaries.Length; i++)
        {
            opened.Store.Ingest(SummaryFixtures.BatchOf($"b{i}", summaries[i].Host, summaries[i]), DateTime.UtcNow);
        }
        opened.Store.Fold();
    }

    [Fact]
    public void Packages_from_outside_the_base_are_ranked_by_users_with_their_versions_and_the_bases()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path, domainOf: a => a == "ClimateProj" ? "Earth Science" : "Computer Science");
        Fill(opened);
        var data = new ReportData(opened.Store);
        var query = ReportQuery.Parse([], DateOnly.FromDateTime(Today));

        var rows = new ProvisioningReport().Run(data, query).Rows;
        using var yaml = new StringWriter();
        ProvisioningYaml.Write(yaml, ProvisioningReport.Candidates(data, query), query);

        Assert.Equal([
            new object[] { "torch", 3L, 2L, 3L, "2.1.0 (2), 2.0.1 (1)", "", "pytorch" },
            new object[] { "numpy", 1L, 1L, 1L, "1.24.0 (1)", "1.26.4", "numpy?" }], rows);
        var lines = yaml.ToString().Split('\n');
        Assert.Contains("  - \"pytorch=2.1.0\"  # 3 users, 2 domains, not seen in the base", lines);
        Assert.Contains("  - \"numpy=1.24.0\"  # 1 users, 1 domains, base has 1.26.4, import name numpy: check the package's name", lines);
        Assert.Equal("dependencies:", lines[2]);
    }

    [Fact]
    public void The_base_environments_own_list_gives_what_the_base_has_and_at_which_version()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path, domainOf: a => a == "ClimateProj" ? "Earth Science" : "Computer Science");
        Fill(opened);
        var data = new ReportData(opened.Store) { BasePackagesFile = BaseEnvironment };
        var query = ReportQuery.Parse([], DateOnly.FromDateTime(Today));

        var table = new ProvisioningReport().Run(data, query);
        using var yaml = new StringWriter();
        ProvisioningYaml.Write(yaml, ProvisioningReport.Candidates(data, query), query);

        // torch: pip's torch==2.2.1 in the list, where no process loaded it from the base; numpy: the list's 1.25.2,
        // not the 1.26.4 processes loaded from the base.
        Assert.Equal([("torch", "2.2.1"), ("numpy", "1.25.2")], table.Rows.Select(r => ((string)r[0], (string)r[5])));
        Assert.Contains(table.Notes, n => n.Contains("package list environment.yml (11 packages)", StringComparison.Ordinal));
        Assert.Contains("  - \"pytorch=2.1.0\"  # 3 users, 2 domains, base has 2.2.1", yaml.ToString().Split('\n'));
    }

    [Fact]
    public void A_list_that_cannot_be_read_is_said_and_the_versions_loaded_from_the_base_stand_in()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        Fill(opened);
        var data = new ReportData(opened.Store) { BasePackagesFile = dir.Combine("gone.yml") };

        var table = new ProvisioningReport().Run(data, ReportQuery.Parse([], DateOnly.FromDateTime(Today)));

        Assert.Equal([("torch", ""), ("numpy", "1.26.4")], table.Rows.Select(r => ((string)r[0], (string)r[5])));
        Assert.Contains(table.Notes, n => n.Contains("gone.yml could not be read (FileNotFoundException)", StringComparison.Ordinal)
            && !n.Contains(dir.Path, StringComparison.Ordinal));
    }
}
