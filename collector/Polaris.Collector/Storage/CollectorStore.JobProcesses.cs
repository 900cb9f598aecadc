using Polaris.Wire;

namespace Polaris.Collector.Storage;

public sealed partial class CollectorStore
{
    /// <summary>The stored summaries of jobs of the UTC days <paramref name="since"/> to <paramref name="until"/> from
    /// <paramref name="sources"/>, one at a time, without their module tables (within <c>retentionDays</c>); a live
    /// summary's replaced versions are left out, as in <see cref="Uses"/>.</summary>
    public IEnumerable<StoredJobProcesses> JobProcesses(DateOnly since, DateOnly until, IReadOnlyCollection<RecordSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        for (var day = since; day <= until; day = day.AddDays(1))
        {
            foreach (var document in LatestSummariesOn(day))
            {
                var source = document["src"].IsString ? WireNames.ParseSource(document["src"].AsString) ?? RecordSource.Agent : RecordSource.Agent;
                var key = document["job"]["key"].AsString;
                if (key.Length > 0 && sources.Contains(source))
                {
                    yield return new StoredJobProcesses(source, key, document["dom"].AsString, document["procs"].AsInt32);
                }
            }
        }
    }
}
