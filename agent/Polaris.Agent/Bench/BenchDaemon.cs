using Polaris.Agent.Native;
using Polaris.Agent.Serve;
using Polaris.Agent.Serve.Spool;
using Polaris.Wire;

namespace Polaris.Agent.Bench;

/// <summary>A private <c>polaris-agent serve</c> for the <c>agent</c> configuration, so each run pays the real cost of handing over its record.</summary>
/// <remarks>
/// Its collector address is the discard port on loopback: shipping fails fast and batches wait in a
/// spool inside bench's scratch folder, which bench removes. The daemon still receives, batches and
/// spools every record, as on a node.
/// </remarks>
public sealed class BenchDaemon : IDisposable
{
    private const int SignalTerminate = 15;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    // Its spool is scratch, so nothing is lost by not waiting for a graceful flush; the records that
    // matter were counted before (SpooledRecords).
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly SpawnedChild _child;
    private int _stopped;
    private readonly string _log;
    private readonly string _spool;

    private BenchDaemon(SpawnedChild child, string drop, string spool, string log)
    {
        _child = child;
        _log = log;
        _spool = spool;
        Drop = drop;
    }

    /// <summary>The drop folder the hook writes its record files into.</summary>
    public string Drop { get; }

    /// <summary>Starts this very binary as a daemon in <paramref name="directory"/> and waits until it watches its drop folder.</summary>
    public static BenchDaemon Start(string directory, IReadOnlyDictionary<string, string> environment)
    {
        var binary = Environment.ProcessPath ?? throw new IOException("cannot tell where this binary is");
        var drop = Path.Combine(directory, "incoming");
        var spool = Path.Combine(directory, "spool");
        var log = Path.Combine(directory, "daemon.log");
        // Its own status socket, so it never takes the node daemon's; summaries close soon after each run.
        var settings = new Dictionary<string, string>(environment, StringComparer.Ordinal)
        {
            ["POLARIS_AGENT_STATUS_SOCKET"] = Path.Combine(directory, "status.sock"),
            ["POLARIS_AGENT_SUMMARY_QUIET_MS"] = "100",
        };
        var child = SpawnedChild.Start(
            [binary, "serve", "--drop", drop, "--spool", spool, "--collector", "http://127.0.0.1:9/"],
            settings, stdout: log, stderr: Path.Combine(directory, "daemon.err"));
        var daemon = new BenchDaemon(child, drop, spool, log);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!daemon.Output().Contains("Taking in hook records", StringComparison.Ordinal))
        {
            if (child.WaitForExit(TimeSpan.Zero) is { } exit)
            {
                throw new IOException($"the daemon exited ({exit}) before watching {drop}: {daemon.Output()}");
            }
            if (DateTime.UtcNow > deadline)
            {
                daemon.Dispose();
                throw new IOException($"the daemon did not watch {drop} within {StartTimeout.TotalSeconds} s: {daemon.Output()}");
            }
            Thread.Sleep(20);
        }
        return daemon;
    }

    /// <summary>Records the daemon has spooled, waiting up to <paramref name="patience"/> for <paramref name="expected"/> of them.</summary>
    /// <remarks>
    /// The proof that the <c>agent</c> configuration measured a hook that really delivered: a wrong drop folder
    /// would make the hook give up silently and look cheaper than it is. Nothing is shipped (the collector
    /// address is the discard port), so every record received stays in the spool.
    /// </remarks>
    public int SpooledRecords(int expected, TimeSpan patience)
    {
        var spool = new BatchSpool(new AgentOptions { Spool = _spool });
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var count = 0;
            foreach (var batch in spool.Pending())
            {
                try
                {
                    count += BatchCodec.Decode(File.ReadAllBytes(batch.Path)).Processes;
                }
                catch (Exception e) when (e is IOException or WireFormatException)
                {
                    // Being written or renamed this instant; the next pass counts it.
                }
            }
            if (count >= expected || DateTime.UtcNow > deadline)
            {
                return count;
            }
            Thread.Sleep(100);
        }
    }

    /// <summary>Stops it by its pid: SIGTERM, then SIGKILL if it has not ended in time.</summary>
    /// <remarks>Safe to call twice and from a signal handler while bench's own thread calls it too: only the first call acts.</remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        _child.Signal(SignalTerminate);
        if (_child.WaitForExit(StopTimeout) == null)
        {
            _child.Kill();
        }
    }

    private string Output()
    {
        var err = Path.ChangeExtension(_log, ".err");
        return string.Join('\n', new[] { _log, err }.Where(File.Exists).Select(File.ReadAllText)).Trim();
    }
}
