using LiteDB;

namespace Polaris.Collector.Storage;

public sealed partial class CollectorStore
{
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
