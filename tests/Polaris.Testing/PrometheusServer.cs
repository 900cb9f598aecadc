using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Polaris.Testing;

/// <summary>Debian's Prometheus server (<c>/usr/bin/prometheus</c>, scripts/setup-debian.sh) on a loopback port of its
/// own and a storage folder of its own, scraping its targets and evaluating its rules every second; stopped by its PID.</summary>
public sealed class PrometheusServer : IDisposable
{
    public const string Binary = "/usr/bin/prometheus";

    /// <summary>The scrape job's name, which the rules' <c>PolarisCollectorDown</c> looks for.</summary>
    public const string ScrapeJob = "polaris-collector";

    private const int Attempts = 5;
    private readonly HttpClient _http;

    private PrometheusServer(ChildProcess process, Uri url)
    {
        Process = process;
        Url = url;
        _http = new HttpClient { BaseAddress = url };
    }

    public ChildProcess Process { get; }

    public Uri Url { get; }

    /// <summary>Starts Prometheus in <paramref name="directory"/> (its config and storage go there), scraping the
    /// <c>/metrics</c> of each of <paramref name="targets"/> and evaluating <paramref name="ruleFiles"/>.</summary>
    /// <remarks>Prometheus cannot be asked to listen on port 0 and say which port it got, so a port is found free by
    /// binding to it first; another process may take it before Prometheus does, so a start that fails is tried again
    /// on another port.</remarks>
    public static PrometheusServer Start(string directory, IEnumerable<Uri> targets, IEnumerable<string> ruleFiles)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var config = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(config, Config(targets, ruleFiles));
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort();
            var process = ChildProcess.Start(Binary,
            [
                "--config.file=" + config,
                "--storage.tsdb.path=" + Path.Combine(directory, "data-" + attempt.ToString(CultureInfo.InvariantCulture)),
                "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            ]);
            try
            {
                process.WaitUntil(() => process.Output.Contains("Server is ready to receive web requests", StringComparison.Ordinal),
                    "Prometheus ready", TimeSpan.FromSeconds(30));
                return new PrometheusServer(process, new Uri($"http://127.0.0.1:{port}/"));
            }
            catch (InvalidOperationException) when (attempt < Attempts && process.Output.Contains("address already in use", StringComparison.Ordinal))
            {
                process.Dispose();
            }
            catch
            {
                process.Dispose();
                throw;
            }
        }
    }

    /// <summary>An instant query's result (<c>/api/v1/query</c>): its type and its value (for a vector, the array of
    /// series); a query Prometheus refuses throws, with its error.</summary>
    public (string Type, JsonElement Result) Query(string expression)
    {
        var data = Get("api/v1/query?query=" + Uri.EscapeDataString(expression));
        return (data.GetProperty("resultType").GetString()!, data.GetProperty("result"));
    }

    /// <summary>True when <paramref name="expression"/> returns data: a vector or matrix with a series, or a scalar.</summary>
    public bool HasData(string expression) => Query(expression) switch
    {
        ("vector" or "matrix", var result) => result.GetArrayLength() > 0,
        _ => true,
    };

    /// <summary>The value of a query that returns one series, or null when it returns none.</summary>
    public double? Value(string expression)
    {
        var (_, result) = Query(expression);
        return result.GetArrayLength() == 0 ? null
            : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>The active alerts (<c>/api/v1/alerts</c>), pending and firing.</summary>
    public IReadOnlyList<JsonElement> Alerts() => Get("api/v1/alerts").GetProperty("alerts").EnumerateArray().ToArray();

    /// <summary>Waits until <paramref name="ready"/> holds, failing with Prometheus's log if it exits or the wait runs out.</summary>
    public void WaitUntil(Func<bool> ready, string what, TimeSpan? timeout = null) => Process.WaitUntil(ready, what, timeout);

    private JsonElement Get(string path)
    {
        using var response = _http.GetAsync(path).GetAwaiter().GetResult();
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        using var json = JsonDocument.Parse(body);
        if (json.RootElement.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus answered {path} with {body}");
        }
        return json.RootElement.GetProperty("data").Clone();
    }

    private static string Config(IEnumerable<Uri> targets, IEnumerable<string> ruleFiles) => $"""
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        rule_files: [{string.Join(", ", ruleFiles.Select(f => $"'{f}'"))}]
        scrape_configs:
          - job_name: {ScrapeJob}
            static_configs:
              - targets: [{string.Join(", ", targets.Select(t => $"'{t.Authority}'"))}]
        """;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _http.Dispose();
        Process.Terminate();
        Process.Dispose();
    }
}
