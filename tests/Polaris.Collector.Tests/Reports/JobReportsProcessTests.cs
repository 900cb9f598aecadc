using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polaris.Testing;

namespace Polaris.Collector.Tests.Reports;

/// <summary>The reports this issue completed, on the real <c>polaris-collector</c>: the job-naming ones take the admin
/// token, and provisioning reads the base environment's list from the setting <c>baseEnvironmentPackages</c> in
/// <c>serve</c> and from <c>--base-packages</c> in <c>report</c>.</summary>
public class JobReportsProcessTests
{
    private static readonly DateTime Today = DateTime.UtcNow.Date.AddHours(12);
    private static readonly string BaseEnvironment = Path.Combine(RepoPaths.Root, "tests", "Polaris.Collector.Tests", "Reports", "base-env", "environment.yml");

    /// <summary>Job 4711 on one node: 2 ranks loading torch from the user site.</summary>
    private static void Fill(string data)
    {
        using var opened = new TestStore(data);
        opened.Store.Ingest(SummaryFixtures.BatchOf("b1", "n1", SummaryFixtures.Job("n1", "4711.polaris-pbs-01", 1001, 2, Today, ["torch@user-site"])), DateTime.UtcNow);
        opened.Store.Fold();
    }

    private static JsonElement[] Rows(string json) => [.. JsonDocument.Parse(json).RootElement.GetProperty("rows").EnumerateArray()];

    [Fact]
    public async Task Job_reports_need_the_admin_token_and_the_collector_reads_the_base_list_its_setting_names()
    {
        using var dir = new TempDirectory();
        Fill(dir.Combine("data"));
        File.WriteAllText(dir.Combine("readers"), "read-token-1\n");
        File.WriteAllText(dir.Combine("admins"), "admin-token-1\n");
        using var collector = CollectorProcess.StartOn(new Uri("http://127.0.0.1:0"), dir.Combine("data"),
            new Dictionary<string, string> { ["POLARIS_COLLECTOR_BASE_ENVIRONMENT_PACKAGES"] = BaseEnvironment },
            "--read-token-file", dir.Combine("readers"), "--admin-token-file", dir.Combine("admins"));

        async Task<(HttpStatusCode Status, string Body)> Get(string path, string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/reports/" + path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await collector.Http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var costByReader = await Get("import-cost-jobs", "read-token-1");
        var coverageByReader = await Get("coverage-jobs", "read-token-1");
        var costByAdmin = await Get("import-cost-jobs", "admin-token-1");
        var coverageByAdmin = await Get("coverage-jobs", "admin-token-1");
        // One user's package: a read token would see no row of it (reportMinimumUsers), so the base list is checked as
        // the admin sees it.
        var provisioning = await Get("provisioning", "admin-token-1");
        var yaml = await Get("provisioning/environment.yml", "admin-token-1");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (costByReader.Status, coverageByReader.Status));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (costByAdmin.Status, coverageByAdmin.Status));
        var job = Rows(coverageByAdmin.Body).Single();
        Assert.Equal(("4711", "agent", 2L), (job.GetProperty("job").GetString(), job.GetProperty("sources").GetString(), job.GetProperty("agent-processes").GetInt64()));
        Assert.Equal("2.2.1", Rows(provisioning.Body).Single().GetProperty("base-version").GetString());
        Assert.Contains("  - \"pytorch\"  # 1 users, 1 domains, base has 2.2.1", yaml.Body.Split('\n'));
    }

    [Fact]
    public void Report_provisioning_takes_the_base_list_from_its_option_and_refuses_a_list_it_cannot_read()
    {
        using var dir = new TempDirectory();
        Fill(dir.Combine("data"));
        CommandResult Run(params string[] args) => CommandLineTests.Run(Environment.CurrentDirectory, null, ["report", .. args, "--data", dir.Combine("data"), "--format", "json"]);

        var listed = Run("provisioning", "--base-packages", BaseEnvironment);
        var without = Run("provisioning");
        var missing = Run("provisioning", "--base-packages", dir.Combine("none.txt"));
        var elsewhere = Run("libraries", "--base-packages", BaseEnvironment);

        Assert.True(listed.ExitCode == 0, listed.StderrText);
        Assert.Equal("2.2.1", Rows(listed.StdoutText).Single().GetProperty("base-version").GetString());
        Assert.Equal("", Rows(without.StdoutText).Single().GetProperty("base-version").GetString());
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("option --base-packages: cannot read", missing.StderrText, StringComparison.Ordinal);
        Assert.Equal(2, elsewhere.ExitCode);
        Assert.Contains("provisioning report's", elsewhere.StderrText, StringComparison.Ordinal);
    }
}
