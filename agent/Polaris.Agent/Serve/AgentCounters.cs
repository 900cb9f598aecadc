using Polaris.Agent.Serve.Spool;

namespace Polaris.Agent.Serve;

/// <summary>What the daemon has done since it started; every drop is counted by reason, never logged per item.</summary>
public sealed class AgentCounters
{
    private long _recordsReceived;
    private long _droppedMalformed;
    private long _droppedFrames;
    private long _droppedRateLimited;
    private long _droppedOversized;
    private long _droppedNotRegular;
    private long _unreadable;
    private long _deferred;
    private long _batchesSpooled;
    private long _batchesDelivered;
    private long _batchesRejected;
    private long _deliveryFailures;
    private long _spoolFailures;
    private long _spoolDroppedBatches;
    private long _spoolDroppedBytes;

    public long RecordsReceived => Interlocked.Read(ref _recordsReceived);
    public long DroppedMalformed => Interlocked.Read(ref _droppedMalformed);
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);
    public long DroppedRateLimited => Interlocked.Read(ref _droppedRateLimited);
    public long DroppedOversized => Interlocked.Read(ref _droppedOversized);
    public long DroppedNotRegular => Interlocked.Read(ref _droppedNotRegular);
    public long Unreadable => Interlocked.Read(ref _unreadable);
    public long DeferredRecords => Interlocked.Read(ref _deferred);
    public long BatchesSpooled => Interlocked.Read(ref _batchesSpooled);
    public long BatchesDelivered => Interlocked.Read(ref _batchesDelivered);
    public long BatchesRejected => Interlocked.Read(ref _batchesRejected);
    public long DeliveryFailures => Interlocked.Read(ref _deliveryFailures);
    public long SpoolFailures => Interlocked.Read(ref _spoolFailures);
    public long SpoolDroppedBatches => Interlocked.Read(ref _spoolDroppedBatches);
    public long SpoolDroppedBytes => Interlocked.Read(ref _spoolDroppedBytes);

    public void RecordReceived() => Interlocked.Increment(ref _recordsReceived);
    public void Malformed() => Interlocked.Increment(ref _droppedMalformed);
    public void FramesDropped(int frames) => Interlocked.Add(ref _droppedFrames, frames);
    public void RateLimited() => Interlocked.Increment(ref _droppedRateLimited);
    public void Oversized() => Interlocked.Increment(ref _droppedOversized);
    public void NotRegular() => Interlocked.Increment(ref _droppedNotRegular);
    public void UnreadableFile() => Interlocked.Increment(ref _unreadable);
    public void Deferred() => Interlocked.Increment(ref _deferred);
    public void BatchSpooled() => Interlocked.Increment(ref _batchesSpooled);
    public void BatchDelivered() => Interlocked.Increment(ref _batchesDelivered);
    public void BatchRejected() => Interlocked.Increment(ref _batchesRejected);
    public void DeliveryFailed() => Interlocked.Increment(ref _deliveryFailures);
    public void SpoolFailed() => Interlocked.Increment(ref _spoolFailures);

    public void SpoolDropped(SpoolTrim trim)
    {
        Interlocked.Add(ref _spoolDroppedBatches, trim.Batches);
        Interlocked.Add(ref _spoolDroppedBytes, trim.Bytes);
    }

    public override string ToString() =>
        $"received={RecordsReceived} dropped_malformed={DroppedMalformed} dropped_frames={DroppedFrames} dropped_rate_limited={DroppedRateLimited} dropped_oversized={DroppedOversized} " +
        $"dropped_not_regular={DroppedNotRegular} unreadable={Unreadable} deferred={DeferredRecords} " +
        $"batches_spooled={BatchesSpooled} batches_delivered={BatchesDelivered} batches_rejected={BatchesRejected} " +
        $"delivery_failures={DeliveryFailures} spool_failures={SpoolFailures} " +
        $"spool_dropped_batches={SpoolDroppedBatches} spool_dropped_bytes={SpoolDroppedBytes}";
}
