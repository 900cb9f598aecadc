using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

public sealed partial class CollectorStore
{
    /// <summary>The agent's stored summaries of the UTC days <paramref name="since"/> to <paramref name="until"/> with
    /// their processes' import times, one at a time (within <c>retentionDays</c>); a live summary's replaced versions
    /// are left out, as in <see cref="Uses"/>. The imported tools' records time nothing and are skipped.</summary>
    public IEnumerable<StoredImportTimes> ImportTimes(DateOnly since, DateOnly until)
    {
        for (var day = since; day <= until; day = day.AddDays(1))
        {
            int number = Days.FromNumber(day.DayNumber);
            var ids = _summaries.Query().Where(Query.EQ("day", number)).Select("{ id: $._id }").ToEnumerable().Select(d => d["id"].AsInt64).ToArray();
            foreach (var id in ids)
            {
                if (_summaries.FindById(id) is not { } document || (document["sup"].IsBoolean && document["sup"].AsBoolean)
                    || (document["src"].IsString && WireNames.ParseSource(document["src"].AsString) != RecordSource.Agent))
                {
                    continue;
                }
                yield return ImportTimesOf(document);
            }
        }
    }

    /// <summary>The job's node count in its accounting record (<c>Resource_List.nodect</c>); null when no record was
    /// imported for it or it gives none. Reads the collection only: safe outside the write lock.</summary>
    public int? AccountedNodes(string jobKey) =>
        _pbs.FindById(jobKey) is { } record && record["nodes"].IsNumber && record["nodes"].AsInt32 > 0 ? record["nodes"].AsInt32 : null;

    private static StoredImportTimes ImportTimesOf(BsonDocument document)
    {
        var job = document["job"].AsDocument;
        var processes = new List<(DateTime, long)>();
        foreach (var member in document["members"].IsArray ? document["members"].AsArray : [])
        {
            if (member["start"].IsDateTime && member["importns"].IsNumber)
            {
                processes.Add((member["start"].AsDateTime.ToUniversalTime(), Math.Max(0, member["importns"].AsInt64)));
            }
        }
        // The document's own libraries: a live summary's latest version holds all its processes' (its "adds" only
        // what that version added, which the roll-ups count).
        return new StoredImportTimes(job["key"].AsString, document["host"].AsString, document["uid"].AsInt64,
            document["user"].IsString ? document["user"].AsString : "", job["nodes"].IsNumber ? job["nodes"].AsInt32 : 0,
            processes, FactsDocument.ReadLibraries(document["libs"].AsBinary));
    }
}
