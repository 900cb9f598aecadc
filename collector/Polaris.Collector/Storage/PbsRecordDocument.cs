using LiteDB;
using Polaris.Collector.Scheduler;

namespace Polaris.Collector.Storage;

/// <summary>An accounting record as the <c>pbs</c> collection keeps it: the one record per job that
/// <see cref="PbsJobRecord.Supersedes"/> says wins, under the job key.</summary>
/// <remarks>Times are whole seconds, which LiteDB's milliseconds keep exactly, so a record read back equals the one
/// written and a second import of the same line supersedes nothing.</remarks>
internal static class PbsRecordDocument
{
    /// <summary>The record's document, with when it was imported (<c>imported</c>, indexed): retention counts from
    /// the import, not from the record's time, so a log imported late still waits for summaries an agent delivers
    /// late.</summary>
    public static BsonDocument Write(PbsJobRecord record, DateTime importedUtc)
    {
        ArgumentNullException.ThrowIfNull(record);
        var document = new BsonDocument
        {
            ["_id"] = record.JobKey,
            ["id"] = record.JobId,
            ["type"] = ((char)record.Type).ToString(),
            ["at"] = record.EventTime.UtcDateTime,
            ["imported"] = importedUtc,
        };
        Put(document, "user", record.User);
        Put(document, "group", record.Group);
        Put(document, "account", record.Account);
        Put(document, "project", record.Project);
        Put(document, "queue", record.Queue);
        if (record.NodeCount is { } nodes)
        {
            document["nodes"] = nodes;
        }
        if (record.Walltime is { } walltime)
        {
            document["walltime"] = (long)walltime.TotalSeconds;
        }
        if (record.Start is { } start)
        {
            document["start"] = start.UtcDateTime;
        }
        if (record.End is { } end)
        {
            document["end"] = end.UtcDateTime;
        }
        if (record.ExitStatus is { } exit)
        {
            document["exit"] = exit;
        }
        return document;
    }

    /// <summary>The record a document holds.</summary>
    public static PbsJobRecord Read(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new PbsJobRecord(document["_id"].AsString, document["id"].AsString, (PbsRecordType)document["type"].AsString[0], Time(document["at"])!.Value)
        {
            User = Text(document["user"]),
            Group = Text(document["group"]),
            Account = Text(document["account"]),
            Project = Text(document["project"]),
            Queue = Text(document["queue"]),
            NodeCount = document["nodes"].IsNumber ? document["nodes"].AsInt32 : null,
            Walltime = document["walltime"].IsNumber ? TimeSpan.FromSeconds(document["walltime"].AsInt64) : null,
            Start = Time(document["start"]),
            End = Time(document["end"]),
            ExitStatus = document["exit"].IsNumber ? document["exit"].AsInt32 : null,
        };
    }

    private static void Put(BsonDocument document, string name, string? text)
    {
        if (text != null)
        {
            document[name] = text;
        }
    }

    private static string? Text(BsonValue value) => value.IsString ? value.AsString : null;

    // LiteDB hands dates back in local time.
    private static DateTimeOffset? Time(BsonValue value) =>
        value.IsDateTime ? new DateTimeOffset(value.AsDateTime.ToUniversalTime(), TimeSpan.Zero) : null;
}
