using Polaris.Collector.Aggregation;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

public sealed partial class CollectorStore
{
    // The latest cutoff a prune of summaries used (yyyyMMdd; 0: none since start): a prune asked for fewer days than
    // retentionDays took more.
    private int _summariesPrunedBefore;

    /// <summary>The stored summaries of one UTC day, every source, one at a time, each read once for everything the
    /// period roll-ups of uses take from it (within <c>retentionDays</c>, which the summaries are kept). A live
    /// summary's versions that a later one replaced are left out: the latest holds all they held.</summary>
    public IEnumerable<StoredDaySummary> UsesOn(DateOnly day)
    {
        var tables = new Dictionary<string, ModuleTable?>(StringComparer.Ordinal);
        foreach (var document in LatestSummariesOn(day))
        {
            var source = document["src"].IsString ? WireNames.ParseSource(document["src"].AsString) ?? RecordSource.Agent : RecordSource.Agent;
            var uses = document["table"].IsString && TableOf(tables, document["table"].AsString) is { } table ? StoredUses.Of(document, table) : null;
            var key = document["job"]["key"].AsString;
            yield return new StoredDaySummary(document["_id"].AsInt64, source, uses, source == RecordSource.Agent ? ImportTimesOf(document) : null,
                key.Length > 0 ? new StoredJobProcesses(source, key, document["dom"].AsString, document["procs"].AsInt32) : null);
        }
    }

    /// <summary>The first day whose summaries are all kept: before it, the prune may have taken some (once the day's
    /// periods were built from them).</summary>
    public DateOnly SummariesKeptFrom(DateTime nowUtc)
    {
        var kept = DateOnly.FromDateTime(nowUtc).AddDays(-_retentionDays);
        int pruned = Volatile.Read(ref _summariesPrunedBefore);
        return pruned > 0 && DateOnly.FromDayNumber(Days.Number(pruned)) > kept ? DateOnly.FromDayNumber(Days.Number(pruned)) : kept;
    }
}
