using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polaris.Wire;

namespace Polaris.Agent.Serve.Spool;

/// <summary>The batch stage: gathers received records into batches and spools each one.</summary>
/// <remarks>
/// A batch is spooled when it is full or when its first record has waited <see cref="AgentOptions.BatchWindow"/>;
/// with no records the stage waits on the channel and no timer runs.
/// </remarks>
public sealed class RecordBatcher(
    AgentOptions options,
    ChannelReader<ProcessRecord> records,
    BatchSpool spool,
    SpoolSignal signal,
    AgentCounters counters,
    ILogger<RecordBatcher> logger) : BackgroundService
{
    private readonly string _node = Environment.MachineName;
    private readonly List<ProcessRecord> _pending = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await records.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await FillAsync(stoppingToken).ConfigureAwait(false);
                Flush();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Shutting down: the receive stage has stopped, so what is queued now is all there is.
        while (records.TryRead(out var record))
        {
            Add(record);
        }
        Flush();
    }

    private async Task FillAsync(CancellationToken stoppingToken)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        window.CancelAfter(options.BatchWindow);
        try
        {
            while (true)
            {
                while (records.TryRead(out var record))
                {
                    if (Add(record))
                    {
                        return;
                    }
                }
                if (!await records.WaitToReadAsync(window.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The window is over: send what there is.
        }
    }

    /// <summary>Adds a record, spooling the batch when that fills it; true when it did.</summary>
    private bool Add(ProcessRecord record)
    {
        _pending.Add(record);
        if (_pending.Count < options.MaxBatchRecords)
        {
            return false;
        }
        Flush();
        return true;
    }

    private void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }
        var batch = new Batch
        {
            Key = Guid.CreateVersion7().ToString("N"),
            Node = _node,
            AgentVersion = AgentInfo.Version,
            CreatedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Records = _pending.ToArray(),
        };
        try
        {
            spool.Add(batch.Key, BatchCodec.Encode(batch));
            counters.BatchSpooled();
            signal.Raise();
        }
        catch (IOException e)
        {
            counters.SpoolFailed(batch.Records.Count);
            LogMessages.SpoolFailed(logger, batch.Records.Count, e.Message);
        }
        _pending.Clear();
    }
}
