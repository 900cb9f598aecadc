using LiteDB;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>How a <see cref="ProcessRecord"/> is laid out in LiteDB's <c>processes</c> collection.</summary>
internal static class ProcessDocument
{
    public static BsonDocument From(ProcessRecord record, string batchKey, IReadOnlyList<string> libraries)
    {
        var document = Fields(record, batchKey, libraries);
        if (record.RecordId.Length > 0)
        {
            document["_id"] = record.RecordId;
        }
        return document;
    }

    private static BsonDocument Fields(ProcessRecord record, string batchKey, IReadOnlyList<string> libraries) => new()
    {
        ["batch"] = batchKey,
        ["host"] = record.Host,
        ["uid"] = (long)record.Uid,
        ["user"] = record.User,
        ["pid"] = record.Pid,
        ["python"] = record.PythonVersion,
        ["exe"] = record.Executable,
        ["start"] = DateTimeOffset.FromUnixTimeMilliseconds(record.StartedAtMs).UtcDateTime,
        ["end"] = DateTimeOffset.FromUnixTimeMilliseconds(record.EndedAtMs).UtcDateTime,
        ["libraries"] = new BsonArray(libraries.Select(l => new BsonValue(l))),
        ["modules"] = new BsonArray(record.Modules.Select(m => new BsonDocument { ["n"] = m.Name, ["f"] = m.File })),
    };
}
