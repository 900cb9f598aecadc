using LiteDB;

namespace Polaris.Collector.Storage;

public sealed partial class CollectorStore
{
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
