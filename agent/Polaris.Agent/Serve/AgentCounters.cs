using Polaris.Agent.Serve.Spool;

namespace Polaris.Agent.Serve;

/// <summary>What the daemon has done since it started; every drop is counted by reason, never logged per item.</summary>
/// <remarks>One list of named counters feeds the stop line, <c>polaris-agent status</c> and the textfile
/// collector's file, so the three always agree.</remarks>
public sealed class AgentCounters
{
    private long _recordsReceived;
    private long _droppedMalformed;
    private long _droppedFrames;
    private long _clippedRecords;
    private long _clippedModules;
    private long _clippedSharedObjects;
    private long _clippedValues;
    private long _droppedRateLimited;
    private long _droppedOversized;
    private long _droppedNotRegular;
    private long _unreadable;
    private long _deferred;
    private long _duplicateReads;
    private long _batchesSpooled;
    private long _summariesSpooled;
    private long _processesSpooled;
    private long _batchesDelivered;
    private long _lastDeliveryMs;
    private long _batchesRejected;
    private long _deliveryFailures;
    private long _spoolFailures;
    private long _spoolDroppedBatches;
    private long _spoolDroppedBytes;
    private long _collectorReachable = -1;
    private long _batchesDeferred;
    private long _deferredRejected;
    private long _droppedFailed;
    private long _tokenRefused;
    private Func<long>? _environmentsLimited;
    private Func<long>? _originsLimited;
    private long _droppedUserBytes;
    private long _summariesRefused;
    private long _enrichWaited;
    private long _enrichPutOff;
    private long _liveReads;
    private long _livePutOff;
    private long _liveVersionsSpooled;
    private long _liveSettled;

    /// <summary>Raised after any counter changes (on the thread that changed it), for the textfile writer.</summary>
    public event Action? Changed;

    public long RecordsReceived => Interlocked.Read(ref _recordsReceived);
    public long DroppedRateLimited => Interlocked.Read(ref _droppedRateLimited);
    public long BatchesSpooled => Interlocked.Read(ref _batchesSpooled);
    public long BatchesDelivered => Interlocked.Read(ref _batchesDelivered);

    /// <summary>When the collector last acknowledged a batch, Unix ms; 0: not since start.</summary>
    public long LastDeliveryMs => Interlocked.Read(ref _lastDeliveryMs);

    /// <summary>Whether the last delivery attempt reached a collector: 1 yes, 0 no, -1 none yet.</summary>
    public long CollectorReachable => Interlocked.Read(ref _collectorReachable);

    public void RecordReceived() => Bump(ref _recordsReceived, 1);
    public void Malformed() => Bump(ref _droppedMalformed, 1);
    public void FramesDropped(int frames) => Bump(ref _droppedFrames, frames);
    public void RateLimited() => Bump(ref _droppedRateLimited, 1);
    public void Oversized() => Bump(ref _droppedOversized, 1);
    public void NotRegular() => Bump(ref _droppedNotRegular, 1);
    public void UnreadableFile() => Bump(ref _unreadable, 1);
    public void Deferred() => Bump(ref _deferred, 1);
    public void DuplicateRead() => Bump(ref _duplicateReads, 1);
    public void BatchRejected() => Bump(ref _batchesRejected, 1);

    /// <summary>Counts what the receive stage cut from a record (<paramref name="record"/>) and what its summary left
    /// out of it (<paramref name="summary"/>); nothing when both are empty, as for every real record.</summary>
    public void Clipped(Polaris.Wire.Clips record, Polaris.Wire.Clips summary)
    {
        if (record.IsEmpty && summary.IsEmpty)
        {
            return;
        }
        var all = record + summary;
        Interlocked.Increment(ref _clippedRecords);
        Interlocked.Add(ref _clippedModules, all.Modules);
        Interlocked.Add(ref _clippedSharedObjects, all.SharedObjects);
        Interlocked.Add(ref _clippedValues, all.Texts + all.Numbers);
        Changed?.Invoke();
    }
    public void SpoolFailed() => Bump(ref _spoolFailures, 1);
    public void BatchDeferred() => Bump(ref _batchesDeferred, 1);
    public void DeferredGivenUp() => Bump(ref _deferredRejected, 1);
    public void Failed() => Bump(ref _droppedFailed, 1);
    public void UserBytesExceeded() => Bump(ref _droppedUserBytes, 1);
    public void EnrichWaited() => Bump(ref _enrichWaited, 1);
    public void EnrichPutOff() => Bump(ref _enrichPutOff, 1);
    public void LiveRead() => Bump(ref _liveReads, 1);
    public void LivePutOff() => Bump(ref _livePutOff, 1);
    public void LiveVersionsSpooled(int versions) => Bump(ref _liveVersionsSpooled, versions);
    public void LiveSettled(int processes) => Bump(ref _liveSettled, processes);

    /// <summary>Counts summaries the collector refused in a batch it acknowledged (as its receipt lists them).</summary>
    public void SummariesRefused(int summaries) => Bump(ref _summariesRefused, summaries);

    /// <summary>Reads the enrich stage's counts of environment analyses cut short and of records whose origins were
    /// worked out past their probe budget, for <see cref="Values"/>.</summary>
    public void Attach(Func<long> environmentsLimited, Func<long> originsLimited)
    {
        _environmentsLimited = environmentsLimited;
        _originsLimited = originsLimited;
    }

    /// <summary>Whether the collector refused the token (401/403) at the last attempt: 1 yes, 0 no.</summary>
    public long CollectorTokenRefused => Interlocked.Read(ref _tokenRefused);

    /// <summary>Notes whether the last answer refused the token, for <c>status</c> to say so.</summary>
    public void TokenRefused(bool refused)
    {
        if (Interlocked.Exchange(ref _tokenRefused, refused ? 1 : 0) != (refused ? 1 : 0))
        {
            Changed?.Invoke();
        }
    }

    public void BatchSpooled(int summaries, int processes)
    {
        Interlocked.Increment(ref _batchesSpooled);
        Interlocked.Add(ref _summariesSpooled, summaries);
        Interlocked.Add(ref _processesSpooled, processes);
        Changed?.Invoke();
    }

    public void BatchDelivered(DateTimeOffset at)
    {
        Interlocked.Increment(ref _batchesDelivered);
        Interlocked.Exchange(ref _lastDeliveryMs, at.ToUnixTimeMilliseconds());
        Changed?.Invoke();
    }

    /// <summary>A delivery attempt that got an HTTP answer (<paramref name="reached"/>) or none.</summary>
    public void CollectorAnswered(bool reached)
    {
        Interlocked.Exchange(ref _collectorReachable, reached ? 1 : 0);
        Changed?.Invoke();
    }

    public void DeliveryFailed() => Bump(ref _deliveryFailures, 1);

    public void SpoolDropped(SpoolTrim trim)
    {
        Interlocked.Add(ref _spoolDroppedBatches, trim.Batches);
        Interlocked.Add(ref _spoolDroppedBytes, trim.Bytes);
        Changed?.Invoke();
    }

    private void Bump(ref long counter, long by)
    {
        Interlocked.Add(ref counter, by);
        Changed?.Invoke();
    }

    /// <summary>Every counter by its name, with what it counts, in a fixed order.</summary>
    public IReadOnlyList<(string Name, long Value, string Help)> Values() =>
    [
        ("received", RecordsReceived, "Process records taken in from the drop folder."),
        ("dropped_malformed", Interlocked.Read(ref _droppedMalformed), "Record files dropped: not a record (bad name or content)."),
        ("dropped_frames", Interlocked.Read(ref _droppedFrames), "Frames left out of records because they did not parse (a run of them counts once)."),
        ("clipped_records", Interlocked.Read(ref _clippedRecords), "Records with something left out or cut to keep within the record and summary bounds."),
        ("clipped_modules", Interlocked.Read(ref _clippedModules), "Modules left out: a name or file past its bound, past the modules a record or summary may hold, or a name listed again from another file."),
        ("clipped_shared_objects", Interlocked.Read(ref _clippedSharedObjects), "Shared objects left out: a path past its bound, or past the objects a record or summary may hold."),
        ("clipped_values", Interlocked.Read(ref _clippedValues), "Texts blanked or left out and numbers brought within their bounds (import, run, start and end times)."),
        ("dropped_rate_limited", DroppedRateLimited, "Record files dropped unread: their owner was past the per-user rate limit."),
        ("dropped_oversized", Interlocked.Read(ref _droppedOversized), "Record files dropped: larger than maxRecordBytes."),
        ("dropped_not_regular", Interlocked.Read(ref _droppedNotRegular), "Drop folder entries dropped: not regular files (FIFOs, symlinks, folders)."),
        ("unreadable", Interlocked.Read(ref _unreadable), "Record files that could not be read (left for a retry)."),
        ("deferred", Interlocked.Read(ref _deferred), "Times the receive stage waited for the aggregator to catch up."),
        ("duplicate_reads", Interlocked.Read(ref _duplicateReads), "Record files read twice and merged once."),
        ("batches_spooled", BatchesSpooled, "Batches written to the spool."),
        ("summaries_spooled", Interlocked.Read(ref _summariesSpooled), "Summaries written to the spool (a live summary once, with its last version)."),
        ("processes_spooled", Interlocked.Read(ref _processesSpooled), "Processes merged into spooled summaries (those of a live summary once, with its last version)."),
        ("batches_delivered", BatchesDelivered, "Batches the collector acknowledged."),
        ("batches_rejected", Interlocked.Read(ref _batchesRejected), "Batches the collector refused as malformed (kept under rejected/)."),
        ("delivery_failures", Interlocked.Read(ref _deliveryFailures), "Delivery attempts that failed and will be retried."),
        ("spool_failures", Interlocked.Read(ref _spoolFailures), "Batches that could not be written to the spool (retried)."),
        ("spool_dropped_batches", Interlocked.Read(ref _spoolDroppedBatches), "Spooled batches dropped unsent to keep the spool within its bounds."),
        ("spool_dropped_bytes", Interlocked.Read(ref _spoolDroppedBytes), "Bytes of those batches."),
        ("batches_deferred", Interlocked.Read(ref _batchesDeferred), "Batches set aside under deferred/: they kept failing while the collector took the batches behind them (retried slowly)."),
        ("deferred_rejected", Interlocked.Read(ref _deferredRejected), "Deferred batches given up after their last retry (kept under rejected/)."),
        ("environments_limited", _environmentsLimited?.Invoke() ?? 0, "Environment analyses cut short or skipped at a bound (bytes, files or time per environment, analysis time per user): the environment's changes are left out."),
        ("origins_limited", _originsLimited?.Invoke() ?? 0, "Records that named more new folders than 4,096 looks on disk or 50 ms allow: their remaining files' origins come from the configured roots alone, without environments."),
        ("enrich_waited", Interlocked.Read(ref _enrichWaited), "Records whose environment or node file had to be read: enriched on a thread of their own, users in turn, so that no other user's records waited."),
        ("enrich_put_off", Interlocked.Read(ref _enrichPutOff), "Times a record file was left in the drop folder for a while: its user already had 2 MiB of records awaiting enrichment (or all users 8 MiB)."),
        ("live_reads", Interlocked.Read(ref _liveReads), "Record files read while their writer ran (open and written to for liveAfterMs), their process shipped in a live summary."),
        ("live_put_off", Interlocked.Read(ref _livePutOff), "Reads of running processes' record files put off: their user was past the live reads allowed per second, the enrichment queue had no room, or the daemon already followed as many running files as it may."),
        ("live_versions_spooled", Interlocked.Read(ref _liveVersionsSpooled), "Versions of live summaries spooled while some of their processes still ran (their last version counts in summaries_spooled)."),
        ("live_settled", Interlocked.Read(ref _liveSettled), "Running processes shipped final as running because their live summary could not stay open (summaryMaxOpen): what they do later is not counted again."),
        ("dropped_failed", Interlocked.Read(ref _droppedFailed), "Drop folder entries removed because taking them in failed unexpectedly (a fault of the daemon's, logged once per kind)."),
        ("dropped_user_bytes", Interlocked.Read(ref _droppedUserBytes), "Record files removed while their writer ran: their owner's waiting files were past 256 MiB."),
        ("summaries_refused", Interlocked.Read(ref _summariesRefused), "Summaries the collector refused in batches it acknowledged (a bug or a version mismatch: the first reason of each batch is logged)."),
    ];

    public override string ToString() => string.Join(' ', Values().Select(v => $"{v.Name}={v.Value}"));
}
