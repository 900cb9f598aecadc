namespace Polaris.Collector.Ingest;

/// <summary>The bytes that all batches being taken in may hold at once (<see cref="CollectorOptions.MaxBytesInFlight"/>).</summary>
/// <remarks>
/// A per-request bound alone let sixteen concurrent posts take sixteen times it. Each request takes what its body
/// and the buffers of its decompression need, as they grow, and gives it all back when it is answered; a request
/// that would pass the budget is answered 503 with Retry-After, which the agent retries, and never waits holding
/// memory.
/// </remarks>
public sealed class IngestBudget
{
    private long _taken;

    public IngestBudget(long capacity) => Capacity = capacity;

    /// <summary>Bytes all requests together may hold.</summary>
    public long Capacity { get; }

    /// <summary>Bytes held now.</summary>
    public long Taken => Interlocked.Read(ref _taken);

    /// <summary>A lease for one request, to dispose when it is answered.</summary>
    public IngestLease Lease() => new(this);

    internal bool TryTake(long bytes)
    {
        while (true)
        {
            long taken = Interlocked.Read(ref _taken);
            if (bytes > Capacity - taken)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _taken, taken + bytes, taken) == taken)
            {
                return true;
            }
        }
    }

    internal void Give(long bytes) => Interlocked.Add(ref _taken, -bytes);
}
