using System.Text.Json.Nodes;
using Polaris.Testing;
using Xunit.Abstractions;

namespace Polaris.EndToEnd.Tests;

/// <summary>The home-loading series of a job shows while its ranks still run, and once they end every count is what a
/// job that ended at once gives (issue 11, "Live, while the job runs").</summary>
public class LiveHomeLoadingTests(ITestOutputHelper output)
{
    private const int Ranks = 3;

    [Fact]
    public void A_job_importing_from_home_shows_while_its_ranks_sleep_and_counts_as_a_job_that_ended_at_once()
    {
        using var dir = new TempDirectory("polaris-live-home");
        var homeLib = dir.Combine("home", "asmith", "lib");
        PythonPackage.Create(homeLib, "homekit", "0.3");
        var work = Directory.CreateDirectory(dir.Combine("work")).FullName;
        var nodeFile = Path.Combine(work, "nodefile");
        File.WriteAllLines(nodeFile, ["x1001", "x1002", "x1003", "x1004"]);
        using var collector = CollectorProcess.Start(dir.Combine("collector"));
        using var daemon = AgentDaemon.Start(Directory.CreateDirectory(dir.Combine("node")).FullName, collector.Url, new JsonObject
        {
            ["homeRoots"] = new JsonArray(dir.Combine("home")),
            ["summaryWindowMs"] = 2000,
            ["summaryQuietMs"] = 200,
            ["liveAfterMs"] = 500,
        });

        // The same job twice: ranks that import and then sleep, and ranks that import and end at once.
        var sleeping = Enumerable.Range(0, Ranks).Select(rank => ChildProcess.Start(AgentBinary.FilePath,
            ["run", "--drop", daemon.Drop, "--", RepoPaths.Python, "-c", "import homekit, yaml, time; time.sleep(25)"],
            Job("7001.polaris-pbs-01", rank, nodeFile, homeLib))).ToArray();
        try
        {
            collector.Process.WaitUntil(() => collector.Metric("polaris_home_loading_job_processes{pbs_job=\"7001\",nodes=\"4\"}") == Ranks,
                "the sleeping job's home-loading series", TimeSpan.FromSeconds(20));
            Assert.All(sleeping, p => Assert.False(p.HasExited, "the ranks still sleep"));
            output.WriteLine($"while they sleep: {collector.Metric("polaris_python_processes_total")} processes counted");
        }
        finally
        {
            foreach (var rank in sleeping)
            {
                Assert.Equal(0, rank.WaitForExit());
                rank.Dispose();
            }
        }
        for (int rank = 0; rank < Ranks; rank++)
        {
            var run = CommandResult.Run(AgentBinary.FilePath, ["run", "--drop", daemon.Drop, "--", RepoPaths.Python, "-c", "import homekit, yaml, time"],
                Job("7002.polaris-pbs-01", rank, nodeFile, homeLib).ToDictionary(v => v.Key, v => (string?)v.Value), work);
            Assert.True(run.ExitCode == 0, run.StderrText);
        }
        collector.WaitForMetric("polaris_python_processes_total", 2 * Ranks);
        collector.Process.WaitUntil(() => collector.Metric("polaris_collector_unfolded_summaries") == 0, "the fold");

        var metrics = collector.Metrics();
        output.WriteLine(string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("polaris_library_", StringComparison.Ordinal) && l.Contains("homekit", StringComparison.Ordinal))));
        Assert.Equal(2 * Ranks, MetricsText.Value(metrics, "polaris_python_processes_total"));
        Assert.Equal(2 * Ranks, MetricsText.Value(metrics, "polaris_library_processes_total{library=\"homekit\"}"));
        Assert.Equal(2 * Ranks, MetricsText.Value(metrics, "polaris_library_processes_total{library=\"yaml\"}"));
        Assert.Equal(2 * Ranks, MetricsText.Value(metrics, "polaris_library_module_loads_total{library=\"homekit\",origin=\"home\"}"));
        Assert.Equal(2 * Ranks, MetricsText.Value(metrics, "polaris_library_import_duration_seconds_count{library=\"homekit\"}"));
        // Job by job, the live job counts exactly what the one that ended at once counts.
        var jobs = collector.Summaries().GroupBy(s => s.GetProperty("job").GetProperty("key").GetString()).ToDictionary(g => g.Key!, g => g.Sum(s => s.GetProperty("procs").GetInt32()));
        Assert.Equal(Ranks, jobs["7001"]);
        Assert.Equal(Ranks, jobs["7002"]);
        Assert.True(MetricsText.Value(metrics, "polaris_collector_live_versions_total{result=\"counted\"}") >= 1);
    }

    private static Dictionary<string, string> Job(string id, int rank, string nodeFile, string homeLib) => new()
    {
        ["PBS_JOBID"] = id,
        ["PBS_QUEUE"] = "prod",
        ["PBS_NODEFILE"] = nodeFile,
        ["PMI_RANK"] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["PMI_SIZE"] = Ranks.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["PYTHONPATH"] = homeLib,
    };
}
