using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>A batch made ready for the store outside its write lock: each summary's facts, module table and document;
/// what is left for the lock is to look the tables up, number the documents and write.</summary>
public sealed class PreparedBatch
{
    internal PreparedBatch(Batch batch, DateTime receivedAtUtc, long bytes, List<SummaryRefusal> refused, List<PreparedSummary> summaries)
    {
        Batch = batch;
        ReceivedAtUtc = receivedAtUtc;
        Bytes = bytes;
        Refused = refused;
        Summaries = summaries;
    }

    public Batch Batch { get; }

    public DateTime ReceivedAtUtc { get; }

    /// <summary>Compressed size as received.</summary>
    public long Bytes { get; }

    /// <summary>Summaries refused so far, by their index as sent.</summary>
    internal List<SummaryRefusal> Refused { get; }

    internal List<PreparedSummary> Summaries { get; }

    /// <summary>Summaries whose start time was outside the retention window, counted on the day they arrived.</summary>
    public int ClippedTimes { get; init; }

    /// <summary>Summaries whose job id has no job key (<see cref="Scheduler.JobKey.Of"/>), counted outside any job.</summary>
    public int ClippedJobIds { get; init; }

    /// <summary>A batch of imported summaries: stored and folded into their sources' roll-ups, not counted in the
    /// metrics.</summary>
    public bool Imported { get; init; }

    /// <summary>One summary ready to store.</summary>
    internal sealed record PreparedSummary(int SentIndex, ProcessSummary Summary, SummaryFacts Facts, ModuleTable Table, BsonDocument Document);
}
