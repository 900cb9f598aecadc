namespace Polaris.Agent.Serve;

/// <summary>What the daemon has done since it started; every drop is counted by reason, never logged per item.</summary>
public sealed class AgentCounters
{
    private long _recordsReceived;
    private long _droppedMalformed;
    private long _droppedOversized;
    private long _droppedQueueFull;
    private long _droppedReadError;
    private long _batchesSpooled;
    private long _batchesDelivered;
    private long _batchesRejected;
    private long _deliveryFailures;
    private long _droppedSpoolFailed;

    public long RecordsReceived => Interlocked.Read(ref _recordsReceived);
    public long DroppedMalformed => Interlocked.Read(ref _droppedMalformed);
    public long DroppedOversized => Interlocked.Read(ref _droppedOversized);
    public long DroppedQueueFull => Interlocked.Read(ref _droppedQueueFull);
    public long DroppedReadError => Interlocked.Read(ref _droppedReadError);
    public long BatchesSpooled => Interlocked.Read(ref _batchesSpooled);
    public long BatchesDelivered => Interlocked.Read(ref _batchesDelivered);
    public long BatchesRejected => Interlocked.Read(ref _batchesRejected);
    public long DeliveryFailures => Interlocked.Read(ref _deliveryFailures);
    public long DroppedSpoolFailed => Interlocked.Read(ref _droppedSpoolFailed);

    public void RecordReceived() => Interlocked.Increment(ref _recordsReceived);
    public void Malformed() => Interlocked.Increment(ref _droppedMalformed);
    public void Oversized() => Interlocked.Increment(ref _droppedOversized);
    public void QueueFull() => Interlocked.Increment(ref _droppedQueueFull);
    public void ReadError() => Interlocked.Increment(ref _droppedReadError);
    public void BatchSpooled() => Interlocked.Increment(ref _batchesSpooled);
    public void BatchDelivered() => Interlocked.Increment(ref _batchesDelivered);
    public void BatchRejected() => Interlocked.Increment(ref _batchesRejected);
    public void DeliveryFailed() => Interlocked.Increment(ref _deliveryFailures);
    public void SpoolFailed(int records) => Interlocked.Add(ref _droppedSpoolFailed, records);

    public override string ToString() =>
        $"received={RecordsReceived} dropped_malformed={DroppedMalformed} dropped_oversized={DroppedOversized} " +
        $"dropped_queue_full={DroppedQueueFull} dropped_read_error={DroppedReadError} dropped_spool_failed={DroppedSpoolFailed} batches_spooled={BatchesSpooled} " +
        $"batches_delivered={BatchesDelivered} batches_rejected={BatchesRejected} delivery_failures={DeliveryFailures}";
}
