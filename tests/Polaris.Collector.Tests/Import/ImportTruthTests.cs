using System.Text.Json;
using Polaris.Collector.Aggregation;
using Polaris.Collector.Scheduler;
using Xunit.Abstractions;

namespace Polaris.Collector.Tests.Import;

/// <summary>The readers' processes, counted as truth.json counts the raw files, give truth.json's numbers.</summary>
public class ImportTruthTests(ITestOutputHelper output)
{
    [Fact]
    public void Xalt_gives_truths_jobs_users_processes_and_packages()
    {
        var (processes, tally) = ImportFixtures.Xalt(ImportFixtures.XaltArchive);
        var truth = ImportFixtures.Truth.GetProperty("xalt");
        tally.WriteTo(new OutputWriter(output));

        AssertCounts(truth, ToolCounts.Of(processes, ToolCounts.TruthRule));
        Assert.Equal(truth.GetProperty("run_files").GetInt32() + truth.GetProperty("pkg_files").GetInt32(), tally.Records);
        Assert.Equal(truth.GetProperty("processes").GetInt32(), tally.Kept);
        Assert.Empty(tally.Skipped);
        Assert.All(processes, p => Assert.All(p.Modules, m => Assert.Equal("", m.Version)));
    }

    [Fact]
    public void PyModuleSnooper_gives_truths_jobs_users_processes_and_packages()
    {
        var (processes, tally) = ImportFixtures.Pms(ImportFixtures.PmsArchive);
        var truth = ImportFixtures.Truth.GetProperty("pms");
        tally.WriteTo(new OutputWriter(output));

        AssertCounts(truth, ToolCounts.Of(processes, ToolCounts.TruthRule));
        Assert.Equal(truth.GetProperty("files").GetInt32(), tally.Entries);
        Assert.Equal(truth.GetProperty("records").GetInt32(), tally.Records);
        Assert.Empty(tally.Skipped);
    }

    /// <summary>The collector's rule (<see cref="LibraryNames.IsLibrary"/>) also leaves out sysconfig's data module
    /// (<c>_sysconfigdata__x86_64-linux-gnu</c>, standard library under a platform's name), which truth.json counts
    /// as a package of one job, one user and four processes; nothing else differs on these records.</summary>
    [Fact]
    public void The_collectors_library_rule_differs_from_truths_only_by_sysconfigs_data_module()
    {
        var xalt = ToolCounts.Of(ImportFixtures.Xalt(ImportFixtures.XaltArchive).Processes, LibraryNames.IsLibrary);
        var pms = ToolCounts.Of(ImportFixtures.Pms(ImportFixtures.PmsArchive).Processes, LibraryNames.IsLibrary);

        Assert.Equal(Packages(ImportFixtures.Truth.GetProperty("xalt")), xalt.Packages);
        var truthPms = Packages(ImportFixtures.Truth.GetProperty("pms"));
        Assert.Equal((1, 1, 4), truthPms["_sysconfigdata__x86_64-linux-gnu"]);
        truthPms.Remove("_sysconfigdata__x86_64-linux-gnu");
        Assert.Equal(truthPms, pms.Packages);
    }

    [Fact]
    public void Both_tools_see_the_same_jobs_by_key_and_the_same_home_packages()
    {
        var xalt = ImportFixtures.Xalt(ImportFixtures.XaltArchive).Processes;
        var pms = ImportFixtures.Pms(ImportFixtures.PmsArchive).Processes;

        Assert.Equal(
            xalt.Select(p => JobKey.Of(p.JobId)).Distinct().Order(StringComparer.Ordinal),
            pms.Select(p => JobKey.Of(p.JobId)).Distinct().Order(StringComparer.Ordinal));
        foreach (var (tool, processes) in new[] { ("xalt", xalt), ("pms", pms) })
        {
            var home = ImportFixtures.Truth.GetProperty(tool).GetProperty("home_packages");
            var pairs = processes.SelectMany(p => p.Modules.Where(m => m.File.StartsWith("/home/", StringComparison.Ordinal) && ToolCounts.TruthRule(m.TopLevel))
                .Select(m => m.TopLevel).Distinct().Select(top => (top, p.Identity))).ToList();
            Assert.Equal(home.GetProperty("names").EnumerateArray().Select(n => n.GetString()), pairs.Select(x => x.top).Distinct().Order(StringComparer.Ordinal));
            Assert.Equal(home.GetProperty("process_package_pairs").GetInt32(), pairs.Count);
        }
    }

    private static void AssertCounts(JsonElement truth, ToolCounts counts)
    {
        Assert.Equal(truth.GetProperty("job_ids").EnumerateArray().Select(j => j.GetString()!), counts.JobIds);
        Assert.Equal(truth.GetProperty("user_names").EnumerateArray().Select(u => u.GetString()!), counts.Users);
        Assert.Equal(truth.GetProperty("jobs").GetInt32(), counts.JobIds.Count);
        Assert.Equal(truth.GetProperty("users").GetInt32(), counts.Users.Count);
        Assert.Equal(truth.GetProperty("processes").GetInt32(), counts.Processes);
        Assert.Equal(Packages(truth), counts.Packages);
    }

    private static SortedDictionary<string, (int Jobs, int Users, int Processes)> Packages(JsonElement truth) =>
        new(truth.GetProperty("packages").EnumerateObject().ToDictionary(
            p => p.Name,
            p => (p.Value.GetProperty("jobs").GetInt32(), p.Value.GetProperty("users").GetInt32(), p.Value.GetProperty("processes").GetInt32())),
            StringComparer.Ordinal);

    private sealed class OutputWriter(ITestOutputHelper output) : StringWriter
    {
        public override void WriteLine(string? value) => output.WriteLine(value ?? "");
    }
}
