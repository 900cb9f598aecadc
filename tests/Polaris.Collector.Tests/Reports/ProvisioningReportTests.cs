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

    [Fact]
    public void Packages_from_outside_the_base_are_ranked_by_users_with_their_versions_and_the_bases()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path, domainOf: a => a == "ClimateProj" ? "Earth Science" : "Computer Science");
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
        var data = new ReportData(opened.Store);
        var query = ReportQuery.Parse([], DateOnly.FromDateTime(Today));

        var rows = new ProvisioningReport().Run(data, query).Rows;
        using var yaml = new StringWriter();
        ProvisioningReport.EnvironmentYaml(yaml, ProvisioningReport.Candidates(data, query), query);

        Assert.Equal([
            new object[] { "torch", 3L, 2L, 3L, "2.1.0 (2), 2.0.1 (1)", "", "pytorch" },
            new object[] { "numpy", 1L, 1L, 1L, "1.24.0 (1)", "1.26.4", "numpy?" }], rows);
        var lines = yaml.ToString().Split('\n');
        Assert.Contains("  - pytorch=2.1.0  # 3 users, 2 domains, not seen in the base", lines);
        Assert.Contains("  - numpy=1.24.0  # 1 users, 1 domains, base has 1.26.4, import name numpy: check the package's name", lines);
        Assert.Equal("dependencies:", lines[2]);
    }
}
