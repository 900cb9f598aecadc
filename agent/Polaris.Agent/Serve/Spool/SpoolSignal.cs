using System.Threading.Channels;

namespace Polaris.Agent.Serve.Spool;

/// <summary>Wakes the shipper when a batch is spooled, so an idle daemon waits on nothing but this.</summary>
public sealed class SpoolSignal
{
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Raise() => _signal.Writer.TryWrite(true);

    public async Task WaitAsync(CancellationToken cancellationToken) =>
        await _signal.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
}
