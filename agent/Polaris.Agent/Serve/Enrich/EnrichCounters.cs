namespace Polaris.Agent.Serve.Enrich;

/// <summary>What the enrich stage has done since start-up.</summary>
public sealed class EnrichCounters
{
    private long _records;
    private long _failures;

    /// <summary>Records enriched.</summary>
    public long Records => Interlocked.Read(ref _records);

    /// <summary>Parts of records (origins, environment, job) that could not be worked out and were passed on as received.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public void RecordEnriched() => Interlocked.Increment(ref _records);

    public void PartFailed() => Interlocked.Increment(ref _failures);

    public override string ToString() => $"enriched={Records} enrich_failures={Failures}";
}
