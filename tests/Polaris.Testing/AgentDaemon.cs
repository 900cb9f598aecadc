using System.Text.Json.Nodes;

namespace Polaris.Testing;

/// <summary>The real AOT <c>polaris-agent serve</c> on a drop folder and spool of the test's own.</summary>
public sealed class AgentDaemon : IDisposable
{
    private AgentDaemon(ChildProcess process, string drop, string spool)
    {
        Process = process;
        Drop = drop;
        Spool = spool;
    }

    public ChildProcess Process { get; }

    /// <summary>The drop folder the hook writes record files into.</summary>
    public string Drop { get; }

    public string Spool { get; }

    /// <summary>The socket <c>polaris-agent status</c> asks.</summary>
    public string StatusSocket => Path.Combine(Path.GetDirectoryName(Drop)!, "status.sock");

    /// <summary>The daemon's config file (agent.json), which names <see cref="StatusSocket"/>.</summary>
    public string ConfigFile => Path.Combine(Path.GetDirectoryName(Drop)!, "agent.json");

    public static AgentDaemon Start(string directory, Uri collector, params string[] extraArguments) =>
        Start(directory, collector, settings: null, extraArguments);

    /// <summary>Starts the daemon with <paramref name="settings"/> (agent.json keys such as <c>homeRoots</c>) merged over the tests' defaults.</summary>
    public static AgentDaemon Start(string directory, Uri collector, JsonObject? settings, params string[] extraArguments)
    {
        var drop = Path.Combine(directory, "incoming");
        var spool = Path.Combine(directory, "spool");
        var config = Path.Combine(directory, "agent.json");
        // A short quiet time keeps tests quick (the default suits the ranks of a job ending together); a status
        // socket of its own keeps daemons of parallel tests apart.
        var json = new JsonObject { ["summaryQuietMs"] = 100, ["statusSocket"] = Path.Combine(directory, "status.sock") };
        foreach (var (name, value) in settings ?? [])
        {
            json[name] = value?.DeepClone();
        }
        File.WriteAllText(config, json.ToJsonString());
        var process = ChildProcess.Start(AgentBinary.FilePath,
            ["serve", "--drop", drop, "--spool", spool, "--collector", collector.ToString(), "--config", config, .. extraArguments]);
        process.WaitUntil(() => process.Output.Contains("Taking in hook records", StringComparison.Ordinal), "drop folder " + drop);
        return new AgentDaemon(process, drop, spool);
    }

    /// <summary>Runs a command through <c>polaris-agent run</c> against this daemon.</summary>
    public CommandResult Run(IEnumerable<string> command, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null) =>
        CommandResult.Run(AgentBinary.FilePath, ["run", "--drop", Drop, "--", .. command], environment, workingDirectory);

    /// <summary>The counters the daemon logged when it stopped (<c>Stopped: received=3 dropped_malformed=0 ...</c>).</summary>
    public static Dictionary<string, long> StoppedCounters(string output)
    {
        int stopped = output.LastIndexOf("Stopped:", StringComparison.Ordinal);
        if (stopped < 0)
        {
            throw new InvalidOperationException("no counters in:\n" + output);
        }
        var line = output[stopped..].Split('\n')[0];
        return line.Split(' ').Select(pair => pair.Split('=')).Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => long.Parse(pair[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The daemon's counters by name, as <c>polaris-agent status --json</c> reports them; empty when it does not
    /// answer.</summary>
    public Dictionary<string, long> Counters()
    {
        var status = CommandResult.Run(AgentBinary.FilePath, ["status", "--json", "--socket", StatusSocket]);
        if (status.ExitCode != 0)
        {
            return [];
        }
        using var json = System.Text.Json.JsonDocument.Parse(status.Stdout);
        return json.RootElement.GetProperty("counters").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetInt64());
    }

    public void Dispose()
    {
        Process.Terminate();
        Process.Dispose();
    }
}
