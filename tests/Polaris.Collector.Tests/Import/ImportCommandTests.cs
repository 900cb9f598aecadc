using System.Text.Json;
using Polaris.Collector.Reports;
using Polaris.Testing;

namespace Polaris.Collector.Tests.Import;

/// <summary>The real <c>polaris-collector</c>'s <c>import-xalt</c> and <c>import-pymodulesnooper</c> on the fixtures, then
/// its reports on the same store: each package's jobs, users and processes as truth.json counted them from the raw
/// files, each source's coverage, nothing added by a second import, and the same through a running collector.</summary>
public class ImportCommandTests
{
    private const string Since = "2026-11-01";
    private const string Until = "2026-11-30";

    private static CommandResult Run(params string[] args) => CommandLineTests.Run(Environment.CurrentDirectory, null, args);

    private static JsonElement Report(string data, params string[] args)
    {
        var result = Run(["report", .. args, "--since", Since, "--until", Until, "--format", "json", "--data", data]);
        Assert.True(result.ExitCode == 0, result.StderrText);
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    private static Dictionary<string, JsonElement> Rows(JsonElement report, string key) =>
        report.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty(key).GetString()!);

    [Fact]
    public void Both_tools_records_are_imported_once_and_every_package_counts_as_truth_json_says()
    {
        using var dir = new TempDirectory();
        var data = dir.Combine("data");
        ImportFixtures.Unpack(ImportFixtures.PmsArchive, dir.Combine("pms"));

        var xalt = Run("import-xalt", "--data", data, ImportFixtures.XaltArchive);
        var pms = Run("import-pymodulesnooper", "--data", data, "--time-zone", "UTC", dir.Combine("pms"));
        var again = Run("import-xalt", "--data", data, ImportFixtures.XaltArchive);

        Assert.True(xalt.ExitCode == 0, xalt.StderrText + xalt.StdoutText);
        Assert.Contains("20 summaries stored, 0 imported before, 0 refused", xalt.StdoutText, StringComparison.Ordinal);
        Assert.Contains("23 summaries stored, 0 imported before, 0 refused", pms.StdoutText, StringComparison.Ordinal);
        Assert.Contains("0 summaries stored, 20 imported before, 0 refused", again.StdoutText, StringComparison.Ordinal);
        foreach (var (tool, source) in new[] { ("xalt", "xalt"), ("pms", "pymodulesnooper") })
        {
            var truth = ImportFixtures.Truth.GetProperty(tool);
            var libraries = Rows(Report(data, "libraries", "--source", source), "library");
            foreach (var package in truth.GetProperty("packages").EnumerateObject().Where(p => p.Name != "_sysconfigdata__x86_64-linux-gnu"))
            {
                // The collector's library rule leaves out Python's _sysconfigdata module, which truth.json counts.
                Assert.True(libraries.TryGetValue(package.Name, out var row), $"{source}: {package.Name} missing");
                Assert.Equal(
                    (package.Value.GetProperty("jobs").GetInt64(), package.Value.GetProperty("users").GetInt64(), package.Value.GetProperty("processes").GetInt64()),
                    (row.GetProperty("jobs").GetInt64(), row.GetProperty("users").GetInt64(), row.GetProperty("processes").GetInt64()));
            }
            var coverage = Rows(Report(data, "coverage", "--source", source), "sources")[source];
            Assert.Equal((truth.GetProperty("jobs").GetInt64(), truth.GetProperty("users").GetInt64(), truth.GetProperty("processes").GetInt64()),
                (coverage.GetProperty("jobs").GetInt64(), coverage.GetProperty("users").GetInt64(), coverage.GetProperty("processes").GetInt64()));
        }
        // The same 7 jobs and 5 users, whatever spelling of the job id each tool kept.
        var both = Rows(Report(data, "coverage", "--source", "xalt", "--source", "pymodulesnooper"), "sources")["xalt and pymodulesnooper"];
        Assert.Equal((7, 5), (both.GetProperty("jobs").GetInt32(), both.GetProperty("users").GetInt32()));
        // Job by job: each of truth.json's jobs seen by both tools, XALT's 1234501 and PyModuleSnooper's
        // 1234501.polaris-pbs-01 as one, their processes adding up to each tool's.
        var jobs = Rows(Report(data, "coverage-jobs", "--source", "xalt", "--source", "pymodulesnooper"), "job");
        var xaltTruth = ImportFixtures.Truth.GetProperty("xalt");
        var pmsTruth = ImportFixtures.Truth.GetProperty("pms");
        Assert.Equal(xaltTruth.GetProperty("job_ids").EnumerateArray().Select(j => j.GetString()!).Order(StringComparer.Ordinal), jobs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(pmsTruth.GetProperty("job_ids").EnumerateArray().Select(j => j.GetString()!.Split('.')[0]).Order(StringComparer.Ordinal), jobs.Keys.Order(StringComparer.Ordinal));
        Assert.All(jobs.Values, j => Assert.Equal("xalt+pymodulesnooper", j.GetProperty("sources").GetString()));
        Assert.Equal(xaltTruth.GetProperty("processes").GetInt64(), jobs.Values.Sum(j => j.GetProperty("xalt-processes").GetInt64()));
        Assert.Equal(pmsTruth.GetProperty("processes").GetInt64(), jobs.Values.Sum(j => j.GetProperty("pymodulesnooper-processes").GetInt64()));
    }

    [Fact]
    public void Through_a_running_collector_an_import_needs_its_admin_token_and_its_reports_answer_the_same()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("admin"), "admin-token-1\n");
        File.WriteAllText(dir.Combine("agents"), "agent-token-1\n");
        using var collector = CollectorProcess.Start(dir.Combine("data"), "--admin-token-file", dir.Combine("admin"), "--token-file", dir.Combine("agents"));
        var url = collector.Url.ToString();

        var refused = Run("import-xalt", "--collector", url, "--token-file", dir.Combine("agents"), ImportFixtures.XaltArchive);
        var imported = Run("import-xalt", "--collector", url, "--token-file", dir.Combine("admin"), ImportFixtures.XaltArchive);
        var held = Run("import-xalt", "--data", dir.Combine("data"), ImportFixtures.XaltArchive);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("401", refused.StderrText, StringComparison.Ordinal);
        Assert.True(imported.ExitCode == 0, imported.StderrText);
        Assert.Contains("20 summaries stored", imported.StdoutText, StringComparison.Ordinal);
        Assert.Equal(1, held.ExitCode);
        Assert.Contains("--collector URL", held.StderrText, StringComparison.Ordinal);
        collector.Process.WaitUntil(() =>
        {
            var report = Run("report", "coverage", "--source", "xalt", "--since", Since, "--until", Until, "--format", "csv", "--collector", url, "--token-file", dir.Combine("admin"));
            return report.ExitCode == 0 && report.StdoutText.Contains("xalt,7,5,20", StringComparison.Ordinal);
        }, "the import in the collector's coverage report");
    }

    [Fact]
    public void Submodules_and_shared_objects_count_what_the_raw_records_hold()
    {
        using var dir = new TempDirectory();
        var data = dir.Combine("data");
        ImportFixtures.Unpack(ImportFixtures.PmsArchive, dir.Combine("pms"));
        Assert.Equal(0, Run("import-pymodulesnooper", "--data", data, "--time-zone", "UTC", dir.Combine("pms")).ExitCode);
        Assert.Equal(0, Run("import-xalt", "--data", data, ImportFixtures.XaltArchive).ExitCode);
        var (pms, _) = ImportFixtures.Pms(dir.Combine("pms"));
        var (xalt, _) = ImportFixtures.Xalt(ImportFixtures.XaltArchive);

        // scipy.sparse: a subtree within the report's 200 rows (scipy has more).
        var submodules = Rows(Report(data, "submodules", "--library", "scipy.sparse", "--source", "pymodulesnooper"), "module");
        var objects = Rows(Report(data, "shared-objects", "--source", "xalt"), "library");
        var missing = Run("report", "submodules", "--data", data);

        // Worked out from the readers' records directly: each submodule's distinct users and processes.
        var expected = pms.SelectMany(p => p.Modules.Where(m => m.Name == "scipy.sparse" || m.Name.StartsWith("scipy.sparse.", StringComparison.Ordinal)).Select(m => (m.Name, p.User)))
            .GroupBy(u => u.Name).ToDictionary(g => g.Key, g => (Users: g.Select(u => u.User).Distinct().Count(), Processes: g.Count()));
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), submodules.Keys.Order(StringComparer.Ordinal));
        foreach (var (module, (users, processes)) in expected)
        {
            Assert.Equal((users, processes), (submodules[module].GetProperty("users").GetInt32(), submodules[module].GetProperty("processes").GetInt32()));
        }
        var libraries = xalt.SelectMany(p => p.SharedObjects.Select(o => (Name: Path.GetFileName(o.Path), p.User)).Distinct())
            .Where(o => !o.Name.Contains(".cpython-", StringComparison.Ordinal))
            .GroupBy(o => o.Name).ToDictionary(g => g.Key, g => (Users: g.Select(u => u.User).Distinct().Count(), Processes: g.Count()));
        Assert.NotEmpty(libraries);
        // The 200 most used are listed (the fixtures' processes map 293): each with the records' own figures.
        Assert.Equal(Math.Min(libraries.Count, SharedObjectsReport.Objects), objects.Count);
        foreach (var (name, row) in objects)
        {
            Assert.Equal(libraries[name], (row.GetProperty("users").GetInt32(), row.GetProperty("processes").GetInt32()));
        }
        // Those left out have no more users than any listed.
        int leastListed = objects.Values.Min(r => r.GetProperty("users").GetInt32());
        int mostUnlisted = libraries.Where(l => !objects.ContainsKey(l.Key)).Select(l => l.Value.Users).DefaultIfEmpty(0).Max();
        Assert.True(leastListed >= mostUnlisted, $"{leastListed} < {mostUnlisted}");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("library=NAME", missing.StderrText, StringComparison.Ordinal);
    }
}
