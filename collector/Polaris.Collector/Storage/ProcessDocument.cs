using LiteDB;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>How a <see cref="ProcessRecord"/> is laid out in LiteDB's <c>processes</c> collection.</summary>
internal static class ProcessDocument
{
    public static BsonDocument From(ProcessRecord record, string batchKey, IReadOnlyList<string> libraries)
    {
        var document = new BsonDocument
        {
            ["batch"] = batchKey,
            ["host"] = record.Host,
            ["uid"] = (long)record.Uid,
            ["user"] = record.User,
            ["pid"] = record.Pid,
            ["ppid"] = record.ParentPid,
            ["python"] = record.PythonVersion,
            ["exe"] = record.Executable,
            ["cwd"] = record.WorkingDirectory,
            ["start"] = DateTimeOffset.FromUnixTimeMilliseconds(record.StartedAtMs).UtcDateTime,
            ["end"] = DateTimeOffset.FromUnixTimeMilliseconds(record.EndedAtMs).UtcDateTime,
            ["importns"] = record.ImportNs,
            ["runns"] = record.RuntimeNs,
            ["exit"] = record.ExitReason,
            ["partial"] = record.Partial,
            ["libraries"] = new BsonArray(libraries.Select(l => new BsonValue(l))),
            ["modules"] = new BsonArray(record.Modules.Select(Module)),
            ["sos"] = new BsonArray(record.SharedObjects.Select(s => new BsonDocument { ["p"] = s.Path, ["o"] = s.Origin.Name() })),
            ["env"] = Environment(record.Environment),
            ["job"] = Job(record.Job),
        };
        if (record.RecordId.Length > 0)
        {
            document["_id"] = record.RecordId;
        }
        return document;
    }

    private static BsonDocument Module(ModuleImport m) => new()
    {
        ["n"] = m.Name,
        ["f"] = m.File,
        ["k"] = m.Kind.Name(),
        ["cum"] = m.CumulativeNs,
        ["self"] = m.SelfNs,
        ["v"] = m.Version,
        ["o"] = m.Origin.Name(),
    };

    private static BsonDocument Environment(PythonEnvironment e) => new()
    {
        ["impl"] = e.Implementation,
        ["prefix"] = e.Prefix,
        ["base"] = e.BasePrefix,
        ["kind"] = e.Kind.Name(),
        ["name"] = e.Name,
        ["added"] = new BsonArray(e.Changes.CondaAdded.Select(p => new BsonValue($"{p.Name}={p.Version}={p.Build}"))),
        ["removed"] = new BsonArray(e.Changes.CondaRemoved.Select(p => new BsonValue($"{p.Name}={p.Version}={p.Build}"))),
        ["changed"] = new BsonArray(e.Changes.CondaChanged.Select(p => new BsonValue($"{p.Name}: {p.BaseVersion} -> {p.Version}"))),
        ["pip"] = new BsonArray(e.Changes.PipInstalled.Select(p => new BsonValue($"{p.Name}=={p.Version}"))),
        ["usersite"] = e.Changes.UserSite,
        ["pypath"] = new BsonArray(e.Changes.PythonPath.Select(p => new BsonValue(p))),
    };

    private static BsonDocument Job(JobContext j)
    {
        var variables = new BsonDocument();
        foreach (var (name, value) in j.Variables)
        {
            variables[name] = value;
        }
        return new BsonDocument
        {
            ["id"] = j.JobId,
            ["account"] = j.Account,
            ["queue"] = j.Queue,
            ["nodes"] = j.NodeCount,
            ["rank"] = j.Rank,
            ["size"] = j.Size,
            ["script"] = j.Script,
            ["vars"] = variables,
        };
    }
}
