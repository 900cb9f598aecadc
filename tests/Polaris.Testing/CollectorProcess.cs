using System.Text.RegularExpressions;

namespace Polaris.Testing;

/// <summary>The real <c>polaris-collector</c> as a separate process on a loopback port the kernel picked.</summary>
public sealed partial class CollectorProcess : IDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _http;

    private CollectorProcess(ChildProcess process, Uri url)
    {
        _process = process;
        Url = url;
        // The tests' own queries trust whatever certificate a test gave the collector: the agent is what checks it.
        _http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator })
        {
            BaseAddress = url,
        };
    }

    public Uri Url { get; }

    public ChildProcess Process => _process;

    public HttpClient Http => _http;

    /// <summary>The collector's build output, built in the tests' configuration (a ProjectReference builds it).</summary>
    public static string Dll => Path.Combine(RepoPaths.Root, "collector", "Polaris.Collector", "bin", RepoPaths.Configuration, "net10.0", "polaris-collector.dll");

    public static CollectorProcess Start(string dataDirectory, params string[] extraArguments) =>
        StartOn(new Uri("http://127.0.0.1:0"), dataDirectory, extraArguments);

    /// <summary>Starts the collector on <paramref name="url"/>: the address of an earlier one, to bring it back.</summary>
    public static CollectorProcess StartOn(Uri url, string dataDirectory, params string[] extraArguments) =>
        StartOn(url, dataDirectory, environment: null, extraArguments);

    /// <summary>Starts the collector on <paramref name="url"/> (http or https) with extra environment variables, such as
    /// <c>POLARIS_COLLECTOR_TLS_CERTIFICATE</c>.</summary>
    public static CollectorProcess StartOn(Uri url, string dataDirectory, IReadOnlyDictionary<string, string>? environment, params string[] extraArguments) =>
        StartWith(["serve", "--urls", url.GetLeftPart(UriPartial.Authority), "--data", dataDirectory, .. extraArguments], environment);

    /// <summary>Starts the collector with exactly these arguments (the data folder and the address from a config file,
    /// say), and waits until it listens on loopback.</summary>
    public static CollectorProcess StartWith(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        StartExecutable("dotnet", [Dll, .. arguments], environment);

    /// <summary>Starts another build of the collector, <paramref name="executable"/> (an installed package's), and waits
    /// until it listens on loopback.</summary>
    public static CollectorProcess StartExecutable(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = ChildProcess.Start(executable, arguments, environment);
        Uri? listening = null;
        process.WaitUntil(() => (listening = ListeningUrl(process.Output)) != null, "listening address");
        return new CollectorProcess(process, listening!);
    }

    /// <summary>The /metrics text.</summary>
    public string Metrics() => _http.GetStringAsync("metrics").GetAwaiter().GetResult();

    /// <summary>The value of one sample in /metrics, or null when the series does not exist.</summary>
    public double? Metric(string series) => MetricsText.Value(Metrics(), series);

    /// <summary>The stored summaries, newest first (<c>GET /v1/summaries</c>).</summary>
    public IReadOnlyList<System.Text.Json.JsonElement> Summaries()
    {
        using var document = System.Text.Json.JsonDocument.Parse(SummariesJson());
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    /// <summary>The stored summaries as the collector serves them: the raw JSON text of <c>GET /v1/summaries</c>.</summary>
    public string SummariesJson() => _http.GetStringAsync("v1/summaries?limit=10000").GetAwaiter().GetResult();

    /// <summary>The pids of every process stored, one per member of every summary.</summary>
    public int[] StoredPids() =>
        Summaries().SelectMany(s => s.GetProperty("members").EnumerateArray()).Select(m => m.GetProperty("pid").GetInt32()).ToArray();

    /// <summary>Waits until the process <paramref name="pid"/> is stored, and returns the summary it is a member of.</summary>
    /// <remarks><c>polaris-agent run</c> execs its command, so the pid of a run is the Python process's own.</remarks>
    public System.Text.Json.JsonElement WaitForProcess(int pid)
    {
        System.Text.Json.JsonElement? found = null;
        _process.WaitUntil(() => (found = Summaries().FirstOrDefault(s => s.GetProperty("members").EnumerateArray().Any(m => m.GetProperty("pid").GetInt32() == pid)))
            is { ValueKind: System.Text.Json.JsonValueKind.Object }, $"the summary of process {pid}");
        return found!.Value;
    }

    /// <summary>Waits until summaries of at least <paramref name="count"/> processes are stored, and returns the summaries.</summary>
    public IReadOnlyList<System.Text.Json.JsonElement> WaitForProcesses(int count)
    {
        IReadOnlyList<System.Text.Json.JsonElement> summaries = [];
        _process.WaitUntil(() => (summaries = Summaries()).Sum(s => s.GetProperty("procs").GetInt32()) >= count, $"{count} processes");
        return summaries;
    }

    /// <summary>Waits until the series reaches at least <paramref name="value"/>.</summary>
    public void WaitForMetric(string series, double value) =>
        _process.WaitUntil(() => Metric(series) >= value, $"{series} >= {value}");

    private static Uri? ListeningUrl(string output) =>
        ListeningLine().Match(output) is { Success: true } m ? new Uri(m.Groups[1].Value + "/") : null;

    [GeneratedRegex(@"Now listening on: (https?://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    public void Dispose()
    {
        _http.Dispose();
        _process.Terminate();
        _process.Dispose();
    }
}
