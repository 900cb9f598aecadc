namespace Polaris.Testing;

/// <summary>The real AOT <c>polaris-agent serve</c> on a socket and spool of the test's own.</summary>
public sealed class AgentDaemon : IDisposable
{
    private AgentDaemon(ChildProcess process, string socket, string spool)
    {
        Process = process;
        Socket = socket;
        Spool = spool;
    }

    public ChildProcess Process { get; }

    public string Socket { get; }

    public string Spool { get; }

    public static AgentDaemon Start(string directory, Uri collector, params string[] extraArguments)
    {
        var socket = Path.Combine(directory, "agent.sock");
        var spool = Path.Combine(directory, "spool");
        var config = Path.Combine(directory, "agent.json");
        // A short batch window keeps tests quick; the default suits production.
        File.WriteAllText(config, """{ "batchWindowMs": 100 }""");
        var process = ChildProcess.Start(AgentBinary.FilePath,
            ["serve", "--socket", socket, "--spool", spool, "--collector", collector.ToString(), "--config", config, .. extraArguments]);
        process.WaitUntil(() => File.Exists(socket), "socket " + socket);
        return new AgentDaemon(process, socket, spool);
    }

    /// <summary>Runs a command through <c>polaris-agent run</c> against this daemon.</summary>
    public CommandResult Run(IEnumerable<string> command, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null) =>
        CommandResult.Run(AgentBinary.FilePath, ["run", "--socket", Socket, "--", .. command], environment, workingDirectory);

    public void Dispose()
    {
        Process.Terminate();
        Process.Dispose();
    }
}
