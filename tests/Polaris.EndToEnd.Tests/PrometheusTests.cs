using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Polaris.Testing;
using Polaris.Wire;
using Xunit.Abstractions;

namespace Polaris.EndToEnd.Tests;

/// <summary>Debian's Prometheus scrapes a real collector, fed by a real daemon running real Python, and evaluates the
/// project's alert rules: the collector's /metrics passes <c>promtool check metrics</c> and docs/collector.md's
/// table, the home-loading alert fires naming the job and its node count, and every query of the Grafana dashboard
/// returns data.</summary>
public partial class PrometheusTests(ITestOutputHelper output)
{
    /// <summary>The job that loads a package from a home directory; Prometheus sees its key, the id up to the first dot.</summary>
    private const string JobId = "4242001.polaris-pbs-01";
    private const string JobKey = "4242001";
    private static readonly string[] JobHosts = ["x3001c0s13b0n0", "x3001c0s13b1n0", "x3002c0s1b0n0", "x3002c0s1b1n0"];

    /// <summary>Runs outside any job; each round runs them again, so that every counter grows while Prometheus watches
    /// (a series that appears already counted has no increase, and the import-time panels show only increases).</summary>
    private static readonly string[] Workloads =
    [
        "import numpy; numpy.linalg.eigvals(numpy.random.rand(32, 32))",
        "import yaml; yaml.safe_load('a: 1')",
        "import scipy.optimize; scipy.optimize.minimize_scalar(lambda x: (x - 2) ** 2)",
    ];

    private const int Ranks = 2;
    private const int ProcessesPerRound = 3 + Ranks;

    [Fact]
    public void Prometheus_fires_the_home_alert_with_the_job_and_its_nodes_and_every_dashboard_query_has_data()
    {
        var clock = Stopwatch.StartNew();
        using var dir = new TempDirectory("polaris-prometheus");
        var homeLib = dir.Combine("home", "asmith", "lib");
        PythonPackage.Create(homeLib, "homekit", "0.3");
        var work = Directory.CreateDirectory(dir.Combine("work")).FullName;
        var script = Path.Combine(work, "simulate.py");
        File.WriteAllText(script, "import homekit, numpy\n");
        var nodeFile = Path.Combine(work, "aggr.nodefile");
        File.WriteAllLines(nodeFile, JobHosts.SelectMany(h => Enumerable.Repeat(h, 4)));
        var domains = dir.Combine("domains.csv");
        File.WriteAllText(domains, "ClimateML,earth-science\n");

        using var collector = CollectorProcess.StartOn(new Uri("http://127.0.0.1:0"), dir.Combine("collector"),
            new Dictionary<string, string> { ["POLARIS_COLLECTOR_DOMAIN_FILE"] = domains });
        using var daemon = AgentDaemon.Start(Directory.CreateDirectory(dir.Combine("node")).FullName, collector.Url,
            new JsonObject { ["homeRoots"] = new JsonArray(dir.Combine("home")) });
        using var prometheus = PrometheusServer.Start(Directory.CreateDirectory(dir.Combine("prometheus")).FullName,
            [collector.Url], [RulesWithShortFor(dir.Path)]);
        prometheus.WaitUntil(() => prometheus.Value($"up{{job=\"{PrometheusServer.ScrapeJob}\"}}") == 1, "a scrape of the collector");
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: collector, daemon and Prometheus up");

        for (int round = 1; round <= 2; round++)
        {
            RunRound(daemon, script, nodeFile, homeLib, work);
            PostForgedInput(collector, round);
            prometheus.WaitUntil(() => prometheus.Value("sum(polaris_python_processes_total)") == round * ProcessesPerRound,
                $"round {round}'s {round * ProcessesPerRound} processes scraped");
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: round {round} scraped");
        }

        var metrics = collector.Metrics();
        AssertPromtoolAccepts(metrics, dir.Combine("metrics.txt"));
        AssertEverySeriesIsInTheDesign(metrics);

        var alert = WaitForFiring(prometheus, "PolarisHomeDirectoryImports");
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: {alert}");
        var labels = alert.GetProperty("labels");
        Assert.Equal(JobKey, labels.GetProperty("pbs_job").GetString());
        Assert.Equal("4", labels.GetProperty("nodes").GetString());
        Assert.Equal("prod", labels.GetProperty("queue").GetString());
        var annotations = alert.GetProperty("annotations");
        Assert.Equal($"Job {JobKey} (4 nodes, queue prod) imports Python libraries from home directories", annotations.GetProperty("summary").GetString());
        Assert.Contains($"processes of PBS job {JobKey} on 4 nodes in queue prod", annotations.GetProperty("description").GetString(), StringComparison.Ordinal);

        var queries = DashboardQueries();
        var empty = queries.Where(q => !prometheus.HasData(q)).ToArray();
        Assert.True(empty.Length == 0, $"{empty.Length} of {queries.Length} dashboard queries returned no data:\n{string.Join('\n', empty)}");
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: {queries.Length} dashboard queries returned data");
    }

    /// <summary>The workloads outside any job, then the ranks of the job, each loading <c>homekit</c> from the home.</summary>
    private static void RunRound(AgentDaemon daemon, string script, string nodeFile, string homeLib, string work)
    {
        foreach (var code in Workloads)
        {
            var run = daemon.Run([RepoPaths.Python, "-c", code], workingDirectory: work);
            Assert.True(run.ExitCode == 0, run.StderrText);
        }
        for (int rank = 0; rank < Ranks; rank++)
        {
            var run = daemon.Run([RepoPaths.Python, script], new Dictionary<string, string?>
            {
                ["PBS_JOBID"] = JobId,
                ["PBS_ACCOUNT"] = "ClimateML",
                ["PBS_QUEUE"] = "prod",
                ["PBS_NODEFILE"] = nodeFile,
                ["PMI_RANK"] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PMI_SIZE"] = (JobHosts.Length * 4).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PYTHONPATH"] = homeLib,
            }, work);
            Assert.True(run.ExitCode == 0, run.StderrText);
        }
    }

    /// <summary>What the ingest-health panels show: a batch whose one summary names a module longer than any real one
    /// (refused alone, <c>out_of_bounds</c>; the batch is stored), and bytes that are no batch (rejected, 400).</summary>
    private static void PostForgedInput(CollectorProcess collector, int round)
    {
        var summary = Assert.Single(SummaryBuilder.Summarize(
        [
            new ProcessRecord
            {
                Host = "forged01", Uid = 4321, User = "mallory", Pid = 4000 + round,
                StartedAtMs = TestClock.BaseMs, EndedAtMs = TestClock.BaseMs + 500,
                Modules = [new ModuleImport("numpy", "/x/numpy/__init__.py")],
            },
        ]));
        var forged = new Batch
        {
            Key = $"forged-{round}", Node = "forged01", CreatedAtMs = TestClock.BaseMs + 1000,
            Summaries = [summary with { Modules = [summary.Modules[0] with { Name = new string('p', 1100) }] }],
        };
        using (var refused = collector.Http.PostAsync("v1/batches", Body(BatchCodec.Encode(forged))).GetAwaiter().GetResult())
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            using var receipt = JsonDocument.Parse(refused.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            Assert.Equal(1, receipt.RootElement.GetProperty("refused").GetArrayLength());
        }
        using var rejected = collector.Http.PostAsync("v1/batches", Body("no batch at all"u8.ToArray())).GetAwaiter().GetResult();
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
    }

    private static ByteArrayContent Body(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(WireFormat.ContentType);
        return content;
    }

    /// <summary>monitoring/polaris-rules.yml with every <c>for:</c> cut to 3 s, so that an alert fires within seconds
    /// instead of minutes; expressions, labels and annotations are the file's own.</summary>
    private static string RulesWithShortFor(string folder)
    {
        var rules = File.ReadAllText(Path.Combine(RepoPaths.Root, "monitoring", "polaris-rules.yml"));
        var shortened = ForDuration().Replace(rules, "${1}3s");
        Assert.NotEqual(rules, shortened);
        var copy = Path.Combine(folder, "polaris-rules.yml");
        File.WriteAllText(copy, shortened);
        return copy;
    }

    [GeneratedRegex(@"^([ \t]+for:[ \t]*)\S+[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex ForDuration();

    private static void AssertPromtoolAccepts(string metrics, string file)
    {
        File.WriteAllText(file, metrics);
        var check = CommandResult.Run("/bin/sh", ["-c", "exec promtool check metrics < \"$1\"", "sh", file]);
        Assert.True(check.ExitCode == 0 && check.Stdout.Length + check.Stderr.Length == 0,
            $"promtool check metrics ({check.ExitCode}):\n{check.StdoutText}{check.StderrText}");
    }

    /// <summary>Every series /metrics has, and each of its labels, is in docs/collector.md's metric table (as
    /// monitoring/exprs.py reads it): the table is the contract the rules and the dashboard are checked against.</summary>
    private static void AssertEverySeriesIsInTheDesign(string metrics)
    {
        var table = CommandResult.Run(RepoPaths.Python, [Path.Combine(RepoPaths.Root, "monitoring", "exprs.py"), "series", Path.Combine(RepoPaths.Root, "docs", "collector.md")]);
        Assert.True(table.ExitCode == 0, table.StderrText);
        var documented = table.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .ToDictionary(f => f[0], f => f.Length > 1 ? f[1].Split(',') : []);
        var names = metrics.Split('\n').Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line[..line.IndexOfAny(['{', ' '])]).Distinct();
        var problems = new List<string>();
        foreach (var name in names)
        {
            if (!documented.TryGetValue(name, out var labels))
            {
                problems.Add($"{name} is not in docs/collector.md's table");
                continue;
            }
            var extra = MetricsText.Samples(metrics, name).SelectMany(s => s.Labels.Keys).Distinct().Except(labels);
            problems.AddRange(extra.Select(label => $"{name} has the label {label}, which docs/collector.md's table does not list"));
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static JsonElement WaitForFiring(PrometheusServer prometheus, string alertName)
    {
        JsonElement? firing = null;
        prometheus.WaitUntil(() => (firing = prometheus.Alerts().Cast<JsonElement?>().FirstOrDefault(a =>
                a!.Value.GetProperty("labels").GetProperty("alertname").GetString() == alertName
                && a.Value.GetProperty("state").GetString() == "firing")) != null,
            $"{alertName} firing", TimeSpan.FromSeconds(30));
        return firing!.Value;
    }

    /// <summary>Every query of the Grafana dashboard with its variables made concrete (monitoring/dashboard-queries.sh).</summary>
    private static string[] DashboardQueries()
    {
        var result = CommandResult.Run("bash", [Path.Combine(RepoPaths.Root, "monitoring", "dashboard-queries.sh")]);
        Assert.True(result.ExitCode == 0, result.StderrText);
        var queries = result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(queries.Length >= 30, result.StdoutText);
        return queries;
    }
}
