using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Polaris.Agent.Serve.Status;

/// <summary>Keeps <c>polaris_agent.prom</c> current in the node exporter's textfile folder, when one is configured.</summary>
/// <remarks>
/// Written at start, at stop, and at most once a second after a counter changes: a one-shot timer is armed by
/// the change, so an idle daemon writes nothing and wakes for nothing. Written whole through a rename, as the
/// textfile collector requires.
/// </remarks>
public sealed class TextfileWriter(
    AgentOptions options,
    AgentCounters counters,
    StatusServer status,
    ILogger<TextfileWriter> logger) : IHostedService, IDisposable
{
    /// <summary>The file's name in the folder.</summary>
    public const string FileName = "polaris_agent.prom";

    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    private Timer? _timer;
    private int _armed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.TextfileDirectory.Length > 0)
        {
            _timer = new Timer(_ => Write(), null, Timeout.Infinite, Timeout.Infinite);
            counters.Changed += Arm;
            Write();
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_timer != null)
        {
            counters.Changed -= Arm;
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
            Write();
        }
        return Task.CompletedTask;
    }

    private void Arm()
    {
        if (Interlocked.Exchange(ref _armed, 1) == 0)
        {
            _timer?.Change(Delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Write()
    {
        Interlocked.Exchange(ref _armed, 0);
        var path = Path.Combine(options.TextfileDirectory, FileName);
        try
        {
            AtomicFile.Write(path, System.Text.Encoding.UTF8.GetBytes(status.Current().ToPrometheus()),
                (UnixFileMode)0b110_100_100);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogMessages.TextfileFailed(logger, path, e.Message);
        }
    }

    public void Dispose() => _timer?.Dispose();
}
