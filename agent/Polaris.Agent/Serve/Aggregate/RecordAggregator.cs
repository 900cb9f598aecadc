using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polaris.Agent.Serve.Spool;
using Polaris.Wire;

namespace Polaris.Agent.Serve.Aggregate;

/// <summary>The aggregate stage: folds received records into summaries (one per job, node, user, environment,
/// interpreter and script) and spools the closed ones as batches.</summary>
/// <remarks>
/// A summary closes once no record has joined it for <see cref="AgentOptions.SummaryQuiet"/> (the ranks of a
/// job end together), at the latest <see cref="AgentOptions.SummaryWindow"/> after its first record, when it
/// holds <see cref="AgentOptions.SummaryMaxProcesses"/>, when <see cref="AgentOptions.SummaryMaxOpen"/> others are
/// open and it has waited longest for a record, or when the daemon stops. The stage sleeps on the channel
/// until the next summary is due to close; with none open, no timer runs. A record's drop file is removed only
/// once its summary is in the spool (through the spool's journal), so a crash loses nothing and counts nothing
/// twice. If the spool cannot be written, the closed summaries are kept and retried, and the bounded channel
/// leaves further files in the drop folder meanwhile.
///
/// A record read while its process ran makes its summary live (RecordAggregator.Live.cs): its versions ship while it
/// runs, and everything else of that process goes to it.
/// </remarks>
public sealed partial class RecordAggregator(
    AgentOptions options,
    ChannelReader<ReceivedRecord> records,
    BatchSpool spool,
    SpoolSignal signal,
    AgentCounters counters,
    ILogger<RecordAggregator> logger) : BackgroundService
{
    private readonly string _node = Environment.MachineName;
    // The summary a record of each key joins; a live summary that takes no one new any more is detached.
    private readonly Dictionary<SummaryKey, OpenSummary> _open = [];
    private readonly HashSet<OpenSummary> _detached = [];
    private readonly List<ClosedSummary> _closed = [];
    // Files folded into a summary not yet spooled: a file read twice (closed again by a forked child) joins once.
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private readonly Ship.Backoff _retry = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
    private const int DrainLimit = 256;
    // No open summary closes before this (Environment.TickCount64 ms). A record only moves its summary's closing
    // later, so the bound holds until it passes; then the open summaries are looked at and it is set again.
    private long _earliestClose = long.MaxValue;
    private long _recordsTaken;
    private Microsoft.Win32.SafeHandles.SafeFileHandle? _dropFolder;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            Restore();
            while (true)
            {
                await WaitAsync(stoppingToken).ConfigureAwait(false);
                // A bounded helping: under a steady stream the channel never runs dry, and due summaries must still
                // close and be spooled rather than pile up in memory.
                for (int taken = 0; taken < DrainLimit && records.TryRead(out var record); taken++)
                {
                    Add(record);
                }
                CloseDue(Environment.TickCount64);
                while (_closed.Count > 0 && !Flush())
                {
                    await Task.Delay(_retry.Next(), stoppingToken).ConfigureAwait(false);
                }
                _retry.Reset();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (ChannelClosedException)
        {
        }
        // Shutting down: the receive stage has stopped, so what is queued now is all there is.
        while (records.TryRead(out var record))
        {
            Add(record);
        }
        CloseAll();
        // What cannot be spooled now stays in the drop folder for the next start.
        while (_closed.Count > 0 && Flush())
        {
        }
    }

    /// <summary>Waits for a record, or until the next open summary is due to close.</summary>
    private async Task WaitAsync(CancellationToken stoppingToken)
    {
        if (records.TryPeek(out _))
        {
            return;
        }
        // No timer while nothing is due: none open, or only live summaries whose processes run and change nothing.
        if (_earliestClose == long.MaxValue || OpenCount == 0)
        {
            if (!await records.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                throw new ChannelClosedException();
            }
            return;
        }
        long due = _earliestClose - Environment.TickCount64;
        if (due <= 0)
        {
            return;
        }
        using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        window.CancelAfter(TimeSpan.FromMilliseconds(due));
        try
        {
            await records.WaitToReadAsync(window.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // A summary is due.
        }
    }

    private void Add(ReceivedRecord received)
    {
        long now = Environment.TickCount64;
        // One look-up of nothing for the records of ended processes while no process runs long.
        if ((received.State != RecordState.Final || _liveMembers.Count + _settled.Count + _restored.Count > 0) && TakeLive(received, now))
        {
            return;
        }
        if (!_inFlight.Add(received.DropFile))
        {
            Receive.ImportTimePool.Return(received.Record.Times);
            counters.DuplicateRead();
            return;
        }
        var summary = Joining(SummaryKey.Of(received.Record), received.Record, now);
        var left = summary.Add(received, now, ++_recordsTaken);
        counters.Clipped(received.Record.Clipped, left);
        Folded(summary);
    }

    /// <summary>The open summary a record of <paramref name="key"/> joins, made when there is none it may join.</summary>
    private OpenSummary Joining(SummaryKey key, ProcessRecord record, long now)
    {
        if (_open.TryGetValue(key, out var summary)
            && (!summary.Builder.Fits(record) || (summary.Live != null && !summary.Joinable(now, options))))
        {
            // The record would take the summary past a bound of SummaryBounds: it goes into a summary of its own. A
            // live summary stays open for its members.
            Leave(summary);
            summary = null;
        }
        if (summary == null)
        {
            if (OpenCount >= options.SummaryMaxOpen)
            {
                CloseStalest();
            }
            summary = new OpenSummary(key, now);
            _open.Add(key, summary);
        }
        return summary;
    }

    /// <summary>After a record joined <paramref name="summary"/>: its closing may come sooner (a live one's), and a full
    /// one takes no one new.</summary>
    private void Folded(OpenSummary summary)
    {
        // A record only moves a summary of ended processes' closing later: its first sets the bound.
        if (summary.Live != null || summary.Builder.Processes == 1)
        {
            _earliestClose = Math.Min(_earliestClose, summary.ClosesAt(options));
        }
        if (summary.Builder.Processes >= options.SummaryMaxProcesses)
        {
            Leave(summary);
        }
    }

    /// <summary>Takes no one new into <paramref name="summary"/>: it closes, or, live, stays open for its members.</summary>
    private void Leave(OpenSummary summary)
    {
        if (summary.Live == null)
        {
            Close(summary);
        }
        else if (_open.TryGetValue(summary.Builder.Key, out var open) && open == summary)
        {
            // Only the summary itself: a detached one (of the previous run, say) shares its key with the one open now.
            _open.Remove(summary.Builder.Key);
            _detached.Add(summary);
        }
    }

    private int OpenCount => _open.Count + _detached.Count;

    /// <summary>Removes a drop file, through the open drop folder when it lies there (the kernel then looks up one
    /// name, not the whole path).</summary>
    private void RemoveDropFile(string file)
    {
        _dropFolder ??= Native.RegularFile.OpenFolder(options.Drop, out _);
        var folder = Path.GetDirectoryName(file.AsSpan());
        if (_dropFolder != null && folder.SequenceEqual(Path.TrimEndingDirectorySeparator(options.Drop.AsSpan())))
        {
            Native.RegularFile.RemoveIn(_dropFolder, Path.GetFileName(file.AsSpan()));
            return;
        }
        File.Delete(file);
    }

    public override void Dispose()
    {
        _dropFolder?.Dispose();
        base.Dispose();
    }

    // By the number of its last record, not its time: records taken in one burst share a millisecond. A summary of
    // ended processes first: closing it early costs nothing, closing a live one ends its members' versions.
    private void CloseStalest() => Close(
        _open.Values.Where(s => s.Live == null).MinBy(s => s.LastAddedNumber) ?? _open.Values.Concat(_detached).MinBy(s => s.LastAddedNumber)!);

    private void CloseDue(long now)
    {
        if (now < _earliestClose)
        {
            return;
        }
        _earliestClose = long.MaxValue;
        foreach (var summary in _open.Values.Concat(_detached).ToArray())
        {
            long closesAt = summary.ClosesAt(options);
            if (closesAt > now)
            {
                _earliestClose = Math.Min(_earliestClose, closesAt);
            }
            else if (summary.Live is { Running.Count: > 0 } live)
            {
                // A version of a summary whose processes still run: it stays open.
                _closed.Add(new ClosedSummary(summary, Final: false));
                live.Shipped(now);
            }
            else
            {
                Close(summary);
            }
        }
    }

    private void Close(OpenSummary summary)
    {
        if (_open.TryGetValue(summary.Builder.Key, out var open) && open == summary)
        {
            _open.Remove(summary.Builder.Key);
        }
        if (summary.Live != null)
        {
            Settle(summary);
        }
        _closed.Add(new ClosedSummary(summary, Final: true));
    }

    /// <summary>Spools up to <see cref="AgentOptions.MaxBatchSummaries"/> closed summaries as one batch and removes
    /// their drop files; false when the spool failed.</summary>
    /// <remarks>A batch also stays under <see cref="SummaryBounds.MaxBatchBytes"/>: summaries are taken while the
    /// upper bounds of their sizes add up to less (one summary, under MaxSummaryBytes, always fits).</remarks>
    private bool Flush()
    {
        int count = 0;
        long bytes = 0;
        while (count < Math.Min(options.MaxBatchSummaries, _closed.Count)
            && (count == 0 || bytes + _closed[count].Summary.Builder.EncodedBytesBound <= SummaryBounds.MaxBatchBytes))
        {
            bytes += _closed[count++].Summary.Builder.EncodedBytesBound;
        }
        var taken = _closed.Take(count).ToArray();
        var batch = new Batch
        {
            Key = spool.NewKey(),
            Node = _node,
            AgentVersion = AgentInfo.Version,
            CreatedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Summaries = taken.Select(s => s.Summary.Build(s.Final)).ToArray(),
        };
        // A live summary's files stay until its last version: their writers run, or a restart must find its members.
        var files = taken.Where(s => s.Final).SelectMany(s => s.Summary.DropFiles).ToArray();
        try
        {
            JournalVersions(taken);
            spool.Add(batch.Key, BatchCodec.Encode(batch), files);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            counters.SpoolFailed();
            LogMessages.SpoolFailed(logger, batch.Processes, e.Message);
            return false;
        }
        foreach (var file in files)
        {
            try
            {
                RemoveDropFile(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Kept in flight, so this run does not read it again; a restart would, which the log line explains.
                LogMessages.DropFileKept(logger, file, e.Message);
                continue;
            }
            _inFlight.Remove(file);
        }
        spool.Consumed(batch.Key);
        _closed.RemoveRange(0, taken.Length);
        Spooled(taken);
        var finals = taken.Where(s => s.Final).ToArray();
        counters.BatchSpooled(finals.Length, finals.Sum(s => s.Summary.Builder.Processes));
        counters.LiveVersionsSpooled(taken.Length - finals.Length);
        spool.Trim(DateTimeOffset.UtcNow).Report(counters, logger);
        signal.Raise();
        return true;
    }
}
