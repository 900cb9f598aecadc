using System.Text.Json;
using Polaris.Collector.Tests.Import;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests.Dashboard;

/// <summary>A real collector (loopback, no tokens) fed as a site would feed it: the XALT and PyModuleSnooper fixtures
/// through the real import commands (into its data folder before it starts), and agents' summaries posted to <c>/v1/batches</c>, two of whose libraries are
/// named to break out of HTML; a domain table with a domain holding <c>&amp;</c>. Shared by the dashboard's tests.</summary>
public sealed class DashboardSite : IDisposable
{
    public const string Since = "2026-11-01";
    public const string Until = "2026-11-30";

    /// <summary>A library named to run a script, were it written into the page as it is.</summary>
    public const string ScriptLibrary = "<script>alert(1)</script>";

    /// <summary>A library named to leave an attribute and add an element.</summary>
    public const string AttributeLibrary = "\"><img src=x onerror=alert(2)>";

    public const string AmpersandDomain = "Earth & Space";

    private readonly TempDirectory _dir = new("polaris-dashboard");

    public DashboardSite()
    {
        File.WriteAllText(_dir.Combine("domains.csv"), $"project,domain\nCompSciProj,Computer Science\nClimateProj,{AmpersandDomain}\nBioProj,Biology\nMatSciProj,Materials Science\n");
        var data = _dir.Combine("data");
        var domains = new Dictionary<string, string?> { ["POLARIS_COLLECTOR_DOMAIN_FILE"] = _dir.Combine("domains.csv") };
        // Into the store before the collector holds it: with no admin token file, a collector takes no import over HTTP,
        // and with one its dashboard would want a token the browser cannot send.
        ImportFixtures.Unpack(ImportFixtures.PmsArchive, _dir.Combine("pms"));
        Imported(CommandLineTests.Run(Environment.CurrentDirectory, domains, "import-xalt", "--data", data, ImportFixtures.XaltArchive));
        Imported(CommandLineTests.Run(Environment.CurrentDirectory, domains, "import-pymodulesnooper", "--data", data, "--time-zone", "UTC", _dir.Combine("pms")));
        Collector = CollectorProcess.StartOn(new Uri("http://127.0.0.1:0"), data, domains.ToDictionary(e => e.Key, e => e.Value!));
        var day = new DateTime(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);
        Post("dash-1", SummaryFixtures.Job("n1", "9001", 3001, 2, day, ["numpy", ScriptLibrary, AttributeLibrary], EnvironmentKind.BaseEnv, "CompSciProj"));
        Post("dash-2", SummaryFixtures.Job("n2", "9002", 3002, 1, day.AddDays(1), ["numpy", "torch", ScriptLibrary, AttributeLibrary], EnvironmentKind.CondaEnv, "ClimateProj"));
        Post("dash-3", SummaryFixtures.Job("n3", "9003", 3003, 3, day.AddDays(2), ["torch", ScriptLibrary], EnvironmentKind.Venv, "ClimateProj"));
        // Reports read the roll-ups as of the last fold.
        Collector.Process.WaitUntil(() => Report("coverage").GetProperty("rows").EnumerateArray()
            .Any(r => r.GetProperty("sources").GetString() == "agent" && r.GetProperty("jobs").GetInt64() == 3), "the agents' summaries folded");
    }

    public CollectorProcess Collector { get; }

    /// <summary>The filters the tests ask for: the fixtures' month.</summary>
    public static string Query => $"since={Since}&until={Until}";

    /// <summary>A report as the API answers it, for <see cref="Query"/> and <paramref name="more"/>.</summary>
    public JsonElement Report(string name, string more = "")
    {
        using var document = JsonDocument.Parse(Collector.Http.GetStringAsync($"api/v1/reports/{name}?{Query}{more}").GetAwaiter().GetResult());
        return document.RootElement.Clone();
    }

    private static void Imported(CommandResult result) =>
        Assert.True(result.ExitCode == 0 && result.StdoutText.Contains("summaries stored", StringComparison.Ordinal), result.StderrText + result.StdoutText);

    private void Post(string key, ProcessSummary summary)
    {
        using var response = Collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(BatchCodec.Encode(SummaryFixtures.BatchOf(key, summary.Host, summary))))
            .GetAwaiter().GetResult();
        Assert.True(response.IsSuccessStatusCode, $"POST /v1/batches: {response.StatusCode}");
    }

    public void Dispose()
    {
        Collector.Dispose();
        _dir.Dispose();
    }
}
