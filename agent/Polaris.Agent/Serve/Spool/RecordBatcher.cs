using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polaris.Wire;

namespace Polaris.Agent.Serve.Spool;

/// <summary>The batch stage: gathers received records into batches and spools each one.</summary>
/// <remarks>
/// A batch is spooled when it is full or when its first record has waited <see cref="AgentOptions.BatchWindow"/>;
/// with no records the stage waits on the channel and no timer runs. Once a batch is in the spool, the drop
/// files of its records are removed; if the spool cannot be written, the batch is kept and retried, and the
/// bounded channel makes the receive stage leave further files in the drop folder meanwhile.
/// </remarks>
public sealed class RecordBatcher(
    AgentOptions options,
    ChannelReader<ReceivedRecord> records,
    BatchSpool spool,
    SpoolSignal signal,
    AgentCounters counters,
    ILogger<RecordBatcher> logger) : BackgroundService
{
    private readonly string _node = Environment.MachineName;
    private readonly List<ReceivedRecord> _pending = [];
    private readonly Ship.Backoff _retry = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await records.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await FillAsync(stoppingToken).ConfigureAwait(false);
                while (!Flush())
                {
                    await Task.Delay(_retry.Next(), stoppingToken).ConfigureAwait(false);
                }
                _retry.Reset();
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
        // What cannot be spooled now stays in the drop folder for the next start.
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
    private bool Add(ReceivedRecord record)
    {
        _pending.Add(record);
        return _pending.Count >= options.MaxBatchRecords;
    }

    /// <summary>Spools the pending records as one batch and removes their drop files; false when the spool failed.</summary>
    private bool Flush()
    {
        if (_pending.Count == 0)
        {
            return true;
        }
        var batch = new Batch
        {
            Key = Guid.CreateVersion7().ToString("N"),
            Node = _node,
            AgentVersion = AgentInfo.Version,
            CreatedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Records = _pending.Select(r => r.Record).ToArray(),
        };
        try
        {
            spool.Add(batch.Key, BatchCodec.Encode(batch)).Report(counters, logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            counters.SpoolFailed();
            LogMessages.SpoolFailed(logger, batch.Records.Count, e.Message);
            return false;
        }
        counters.BatchSpooled();
        signal.Raise();
        foreach (var received in _pending)
        {
            try
            {
                File.Delete(received.DropFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Read again after a restart, it is counted once: the collector keys records by id.
            }
        }
        _pending.Clear();
        return true;
    }
}
