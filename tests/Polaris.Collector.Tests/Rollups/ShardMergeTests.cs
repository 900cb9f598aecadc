using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polaris.Collector.Rollups;
using Polaris.Testing;
using Polaris.Wire;
using Xunit.Abstractions;

namespace Polaris.Collector.Tests.Rollups;

/// <summary>Two real collectors, each with its own store and a share of the nodes, see the same user and the same
/// job: their counters add up, their distinct counts do not, and <c>merge-rollups</c> gives the true facility-wide
/// distinct users and jobs (issue 11, several collectors).</summary>
public sealed class ShardMergeTests(ITestOutputHelper output) : IDisposable
{
    private const string AdminToken = "admin-token-1";
    private static readonly int[] Windows = [1, 7, 30, 60];
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>Which jobs ran where: job 101 on nodes of both collectors, user 1001 on both, user 1002 on collector
    /// A only, user 1003 on B only and 40 days ago (outside 30 days), on four days.</summary>
    private static readonly Run[] Scenario =
    [
        new('A', "a01", "101.polaris-pbs-01", 1001, 4, 0, ["numpy", "scipy"]),
        new('B', "b01", "101.polaris-pbs-01", 1001, 4, 0, ["numpy", "scipy"]),
        new('A', "a02", "102.polaris-pbs-01", 1002, 2, 0, ["numpy"]),
        new('B', "b02", "103.polaris-pbs-01", 1001, 2, 3, ["numpy"]),
        new('A', "a01", "104.polaris-pbs-01", 1002, 2, 3, ["pandas"]),
        new('A', "a02", "105.polaris-pbs-01", 1001, 1, 3, ["numpy"]),
        new('B', "b02", "105.polaris-pbs-01", 1001, 1, 3, ["numpy"]),
        new('A', "a01", "106.polaris-pbs-01", 1001, 3, 20, ["scipy"]),
        new('B', "b01", "106.polaris-pbs-01", 1001, 3, 20, ["scipy"]),
        new('A', "a02", "107.polaris-pbs-01", 1002, 2, 20, ["numpy"]),
        new('B', "b01", "108.polaris-pbs-01", 1003, 5, 40, ["numpy"]),
    ];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Counters_add_up_distinct_gauges_do_not_and_merge_rollups_gives_the_true_distinct_counts()
    {
        File.WriteAllText(_dir.Combine("admins"), AdminToken + "\n");
        using var a = Start("a");
        using var b = Start("b");
        for (int i = 0; i < Scenario.Length; i++)
        {
            await PostAsync(Scenario[i].Shard == 'A' ? a : b, i);
        }
        WaitForFold(a);
        WaitForFold(b);

        var merged = Merge("json", a, b);
        var table = Merge("table", a, b);
        output.WriteLine(table);

        // Counters add up: the processes of both collectors are the facility's, and merge-rollups sums them alike.
        double counted = a.Metric("polaris_python_processes_total")!.Value + b.Metric("polaris_python_processes_total")!.Value;
        Assert.Equal(Scenario.Sum(r => r.Ranks), counted);
        Assert.Equal(counted, Measure(merged, "", "processes")[^1]);
        // The truth, written out for all Python: 2 users over 30 days (3 over 60), and the jobs as constructed.
        Assert.Equal(new long[] { 2, 2, 2, 3 }, Measure(merged, "", "users"));
        Assert.Equal(new long[] { 2, 5, 7, 8 }, Measure(merged, "", "jobs"));
        Assert.Equal(new long[] { 10, 16, 24, 29 }, Measure(merged, "", "processes"));
        foreach (var library in new[] { "", "numpy", "scipy", "pandas" })
        {
            Assert.Equal(Truth(library, r => r.Uid), Measure(merged, library, "users"));
            Assert.Equal(Truth(library, r => r.Job.Split('.')[0]), Measure(merged, library, "jobs"));
            Assert.Equal(Windows.Select(w => (long)Within(library, w).Sum(r => r.Ranks)), Measure(merged, library, "processes"));
        }
        // Distinct gauges do not add up: user 1001 and job 101 are in both collectors' counts.
        Assert.True(Sum(a, b, "polaris_users{window=\"1d\"}") > Truth("", r => r.Uid)[0]);
        Assert.True(Sum(a, b, "polaris_active_jobs{window=\"7d\"}") > Truth("", r => r.Job.Split('.')[0])[1]);
        Assert.True(Sum(a, b, "polaris_library_users{library=\"numpy\",window=\"1d\"}") > Truth("numpy", r => r.Uid)[0]);
        Assert.True(Sum(a, b, "polaris_library_users{library=\"numpy\",window=\"30d\"}") > Truth("numpy", r => r.Uid)[2]);
        Assert.True(Sum(a, b, "polaris_library_jobs{library=\"numpy\",window=\"30d\"}") > Truth("numpy", r => r.Job.Split('.')[0])[2]);
        // The table says the same for people.
        var allPython = table.Split('\n').Single(l => l.StartsWith(FacilityReport.AllPython, StringComparison.Ordinal));
        Assert.Equal("2 2 2 3 2 5 7 8 10 16 24 29", string.Join(' ', allPython[FacilityReport.AllPython.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Contains("users-60d", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_roll_up_carries_users_jobs_kinds_domains_module_loads_and_import_times()
    {
        File.WriteAllText(_dir.Combine("admins"), AdminToken + "\n");
        using var a = Start("a");
        for (int i = 0; i < Scenario.Length; i++)
        {
            if (Scenario[i].Shard == 'A')
            {
                await PostAsync(a, i);
            }
        }
        WaitForFold(a);

        var day = RollupRange.Text(Today);
        using var response = await a.Http.GetAsync($"v1/rollups?since={day}&until={day}&library=numpy");
        var text = await response.Content.ReadAsStringAsync();
        output.WriteLine(text);
        using var json = JsonDocument.Parse(text);

        var numpy = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(day, numpy.GetProperty("day").GetString());
        Assert.Equal("numpy", numpy.GetProperty("library").GetString());
        Assert.Equal(new long[] { 1001, 1002 }, numpy.GetProperty("users").EnumerateArray().Select(u => u.GetInt64()));
        Assert.Equal(new[] { "101", "102" }, numpy.GetProperty("jobs").EnumerateArray().Select(j => j.GetString()));
        Assert.Equal(6, numpy.GetProperty("processes").GetInt64());
        Assert.Equal(0, numpy.GetProperty("startupProcesses").GetInt64());
        var kind = numpy.GetProperty("kinds").GetProperty(EnvironmentKind.BaseEnv.Name());
        Assert.Equal(2, kind.GetProperty("users").GetArrayLength());
        Assert.Equal(6, kind.GetProperty("processes").GetInt64());
        var domain = numpy.GetProperty("domains").GetProperty("unknown");
        Assert.Equal(2, domain.GetProperty("jobs").GetArrayLength());
        Assert.Equal(6, numpy.GetProperty("moduleLoads").GetProperty(Origin.BaseEnv.Name()).GetInt64());
        Assert.Equal(6, numpy.GetProperty("importTime").GetProperty("count").GetInt64());
        Assert.NotEqual(0, numpy.GetProperty("importTime").GetProperty("buckets").GetArrayLength());
    }

    private sealed record Run(char Shard, string Node, string Job, uint Uid, int Ranks, int DaysAgo, string[] Modules);

    private CollectorProcess Start(string name)
    {
        // Allowlisted so that every collector has numpy's gauges, even with one user of it.
        var environment = new Dictionary<string, string> { ["POLARIS_COLLECTOR_LIBRARY_ALLOWLIST"] = "numpy,scipy,pandas" };
        var collector = CollectorProcess.StartOn(new Uri("http://127.0.0.1:0"), _dir.Combine(name), environment, "--admin-token-file", _dir.Combine("admins"));
        // An admin token configured, loopback reads need it too; posting needs none (no tokenFile).
        collector.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return collector;
    }

    private static async Task PostAsync(CollectorProcess collector, int index)
    {
        var run = Scenario[index];
        // Each run starts in its own second of its day, so that no two runs share a record id.
        var start = Today.AddDays(-run.DaysAgo).ToDateTime(new TimeOnly(0, 0, 1 + index), DateTimeKind.Utc);
        var summary = SummaryFixtures.Job(run.Node, run.Job, run.Uid, run.Ranks, start, run.Modules);
        var body = SummaryRefusalServiceTests.Body(BatchCodec.Encode(SummaryFixtures.BatchOf($"shard-{index}", run.Node, summary)));
        using var response = await collector.Http.PostAsync("v1/batches", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // Roll-ups move at fold, counters at ingest: wait until the stored all-Python processes are the counted ones.
    private static void WaitForFold(CollectorProcess collector)
    {
        var query = $"v1/rollups?since={RollupRange.Text(Today.AddDays(-59))}&until={RollupRange.Text(Today)}&library=";
        collector.Process.WaitUntil(() =>
        {
            using var json = JsonDocument.Parse(collector.Http.GetStringAsync(query).GetAwaiter().GetResult());
            return json.RootElement.EnumerateArray().Sum(r => r.GetProperty("processes").GetInt64()) == collector.Metric("polaris_python_processes_total");
        }, "the fold of every summary");
    }

    private string Merge(string format, params CollectorProcess[] collectors)
    {
        var result = CommandLineTests.Run(_dir.Path, null,
        [
            "merge-rollups", "--since", RollupRange.Text(Today.AddDays(-59)), "--until", RollupRange.Text(Today),
            "--token-file", _dir.Combine("admins"), "--format", format, .. collectors.Select(c => c.Url.ToString()),
        ]);
        Assert.True(result.ExitCode == 0, result.StderrText);
        return result.StdoutText;
    }

    private static long[] Measure(string merged, string library, string measure)
    {
        using var json = JsonDocument.Parse(merged);
        var row = json.RootElement.GetProperty("libraries").EnumerateArray().Single(l => l.GetProperty("library").GetString() == library);
        return Windows.Select(w => row.GetProperty(measure).GetProperty($"{w}d").GetInt64()).ToArray();
    }

    private static IEnumerable<Run> Within(string library, int days) =>
        Scenario.Where(r => r.DaysAgo < days && (library.Length == 0 || r.Modules.Contains(library)));

    private static long[] Truth<T>(string library, Func<Run, T> subject) =>
        Windows.Select(w => (long)Within(library, w).Select(subject).Distinct().Count()).ToArray();

    private static double Sum(CollectorProcess a, CollectorProcess b, string series) => (a.Metric(series) ?? 0) + (b.Metric(series) ?? 0);
}
