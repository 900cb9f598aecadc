using System.Text.RegularExpressions;

namespace Polaris.Testing;

/// <summary>The real <c>polaris-collector</c> as a separate process on a loopback port the kernel picked.</summary>
public sealed partial class CollectorProcess : IDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _http = new();

    private CollectorProcess(ChildProcess process, Uri url)
    {
        _process = process;
        Url = url;
        _http.BaseAddress = url;
    }

    public Uri Url { get; }

    public ChildProcess Process => _process;

    public HttpClient Http => _http;

    /// <summary>The collector's build output, built in the tests' configuration (a ProjectReference builds it).</summary>
    public static string Dll => Path.Combine(RepoPaths.Root, "collector", "Polaris.Collector", "bin", RepoPaths.Configuration, "net10.0", "polaris-collector.dll");

    public static CollectorProcess Start(string dataDirectory, params string[] extraArguments) =>
        StartOn(new Uri("http://127.0.0.1:0"), dataDirectory, extraArguments);

    /// <summary>Starts the collector on <paramref name="url"/>: the address of an earlier one, to bring it back.</summary>
    public static CollectorProcess StartOn(Uri url, string dataDirectory, params string[] extraArguments)
    {
        var process = ChildProcess.Start("dotnet", [Dll, "serve", "--urls", url.GetLeftPart(UriPartial.Authority), "--data", dataDirectory, .. extraArguments]);
        Uri? listening = null;
        process.WaitUntil(() => (listening = ListeningUrl(process.Output)) != null, "listening address");
        return new CollectorProcess(process, listening!);
    }

    /// <summary>The /metrics text.</summary>
    public string Metrics() => _http.GetStringAsync("metrics").GetAwaiter().GetResult();

    /// <summary>The value of one sample in /metrics, or null when the series does not exist.</summary>
    public double? Metric(string series) => MetricsText.Value(Metrics(), series);

    /// <summary>The stored process records, newest first (<c>GET /v1/processes</c>).</summary>
    public IReadOnlyList<System.Text.Json.JsonElement> Processes()
    {
        using var document = System.Text.Json.JsonDocument.Parse(ProcessesJson());
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    /// <summary>The stored process records as the collector serves them: the raw JSON text of <c>GET /v1/processes</c>.</summary>
    public string ProcessesJson() => _http.GetStringAsync("v1/processes?limit=10000").GetAwaiter().GetResult();

    /// <summary>Waits until the record of the process <paramref name="pid"/> is stored, and returns it.</summary>
    /// <remarks><c>polaris-agent run</c> execs its command, so the pid of a run is the Python process's own.</remarks>
    public System.Text.Json.JsonElement WaitForProcess(int pid)
    {
        System.Text.Json.JsonElement? found = null;
        _process.WaitUntil(() => (found = Processes().FirstOrDefault(p => p.GetProperty("pid").GetInt32() == pid)) is { ValueKind: System.Text.Json.JsonValueKind.Object },
            $"the record of process {pid}");
        return found!.Value;
    }

    /// <summary>Waits until at least <paramref name="count"/> process records are stored, and returns them.</summary>
    public IReadOnlyList<System.Text.Json.JsonElement> WaitForProcesses(int count)
    {
        IReadOnlyList<System.Text.Json.JsonElement> processes = [];
        _process.WaitUntil(() => (processes = Processes()).Count >= count, $"{count} process records");
        return processes;
    }

    /// <summary>Waits until the series reaches at least <paramref name="value"/>.</summary>
    public void WaitForMetric(string series, double value) =>
        _process.WaitUntil(() => Metric(series) >= value, $"{series} >= {value}");

    private static Uri? ListeningUrl(string output) =>
        ListeningLine().Match(output) is { Success: true } m ? new Uri(m.Groups[1].Value + "/") : null;

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    public void Dispose()
    {
        _http.Dispose();
        _process.Terminate();
        _process.Dispose();
    }
}
