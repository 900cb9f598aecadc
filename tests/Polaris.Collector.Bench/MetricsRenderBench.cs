using System.Diagnostics;
using System.Net.Http.Headers;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Bench;

/// <summary>How long /metrics takes at the label budget's cap: a collector whose every library has a label of its own,
/// used in every environment kind and domain given, from every origin, with import times.</summary>
internal static class MetricsRenderBench
{
    public static async Task<int> RunAsync(int libraries, int kinds, int domains)
    {
        using var data = new TempDirectory();
        var table = Path.Combine(data.Path, "domains.csv");
        File.WriteAllLines(table, Enumerable.Range(0, domains).Select(d => $"project{d},Domain{d}"));
        using var collector = CollectorProcess.StartWith(["serve", "--urls", "http://127.0.0.1:0", "--data", Path.Combine(data.Path, "store")],
            new Dictionary<string, string> { ["POLARIS_COLLECTOR_DOMAIN_FILE"] = table, ["POLARIS_COLLECTOR_MAX_LIBRARY_LABELS"] = libraries.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var http = new HttpClient { BaseAddress = collector.Url };
        var origins = new[] { Origin.BaseEnv, Origin.Home, Origin.UserSite, Origin.CustomEnv };
        var envKinds = new[] { EnvironmentKind.BaseEnv, EnvironmentKind.CondaEnv, EnvironmentKind.Venv, EnvironmentKind.VenvOnBase, EnvironmentKind.BaseClone, EnvironmentKind.SystemPython, EnvironmentKind.Other };
        int posted = 0;
        // Every (kind, domain) pair sees every library, from two users so each library earns its label.
        for (int k = 0; k < kinds; k++)
        {
            for (int d = 0; d < domains; d++)
            {
                for (int user = 0; user < 2; user++)
                {
                    var records = Enumerable.Range(0, libraries / 100).Select(chunk => new ProcessRecord
                    {
                        Host = "node1", Uid = (uint)(4000 + user), User = "", Pid = 1000 + chunk,
                        StartedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000, EndedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                        Environment = new PythonEnvironment { Kind = envKinds[k % envKinds.Length], Prefix = $"/env{k}" },
                        Job = new JobContext { JobId = $"{k}{d}{user}", Account = $"project{d}" },
                        Modules = Enumerable.Range(chunk * 100, 100).Select(l => new ModuleImport($"library{l:D5}", $"/env/library{l:D5}/__init__.py") { Origin = origins[l % origins.Length] }).ToArray(),
                        Times = Enumerable.Range(0, 100).Select(i => new ImportTime(1000L << (i % 20), 1000L << (i % 20))).ToArray(),
                    });
                    using var content = new ByteArrayContent(BatchCodec.Encode(new Batch { Key = $"m-{k}-{d}-{user}", Node = "node1", CreatedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Summaries = SummaryBuilder.Summarize(records) }));
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.polaris.batch+msgpack+zstd");
                    using var response = await http.PostAsync("v1/batches", content);
                    response.EnsureSuccessStatusCode();
                    posted++;
                }
            }
        }
        var text = await http.GetStringAsync("metrics");
        int series = text.Split('\n').Count(l => l.Length > 0 && l[0] != '#');
        var times = new List<double>();
        for (int i = 0; i < 21; i++)
        {
            var clock = Stopwatch.StartNew();
            var body = await http.GetByteArrayAsync("metrics");
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine($"metrics: {libraries} libraries x {kinds} kinds x {domains} domains ({posted} batches): {series} series, {text.Length >> 10} KiB; " +
            $"GET /metrics median {times[times.Count / 2]:F1} ms, fastest {times[0]:F1} ms, slowest {times[^1]:F1} ms (21 requests)");
        return 0;
    }
}
