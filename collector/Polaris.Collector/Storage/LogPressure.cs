using System.Threading.Channels;

namespace Polaris.Collector.Storage;

/// <summary>Tells the maintenance stage that a commit left LiteDB's log past <c>maxLogBytes</c>, so that it checkpoints
/// at once rather than at its next tick: a burst writes tens of MiB between two ticks.</summary>
public sealed class LogPressure
{
    private readonly Channel<bool> _raised = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Asks for a checkpoint; asking again before it ran changes nothing.</summary>
    public void Raise() => _raised.Writer.TryWrite(true);

    /// <summary>Completes when a checkpoint was asked for since the last call.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _raised.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }
}
