using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>How a <see cref="ProcessSummary"/> is laid out in LiteDB's <c>summaries</c> collection.</summary>
/// <remarks>Durations are in ns. Module import times are kept in one binary value (<see cref="ModuleTimesBlob"/>): as
/// documents, a module's two distributions made each node's summary as large as its table.</remarks>
internal static class SummaryDocument
{
    /// <summary>The document of <paramref name="summary"/> under sequence <paramref name="id"/>: the summary without its
    /// module table (stored once, under <paramref name="tableId"/>) but with what differs from the table's defaults
    /// (<see cref="Deviations"/>) and its facts.</summary>
    public static BsonDocument From(long id, ProcessSummary summary, string batchKey, DateTime receivedAtUtc, string tableId, SummaryFacts facts)
    {
        var members = summary.Members;
        var document = new BsonDocument
        {
            ["_id"] = id,
            ["batch"] = batchKey,
            ["recv"] = receivedAtUtc,
            ["host"] = summary.Host,
            ["uid"] = (long)summary.Uid,
            ["user"] = summary.User,
            ["python"] = summary.PythonVersion,
            ["exe"] = summary.Executable,
            ["procs"] = summary.Processes,
            ["start"] = Time(members.Min(m => m.StartedAtMs)),
            ["end"] = Time(members.Max(m => m.EndedAtMs)),
            ["members"] = new BsonArray(members.Select(Member)),
            ["table"] = tableId,
            ["dev"] = Deviations(summary),
            ["times"] = ModuleTimesBlob.Of(summary.Modules),
            ["env"] = Environment(summary.Environment),
            ["job"] = Job(summary.Job, facts.JobKey),
        };
        if (!summary.Clipped.IsEmpty)
        {
            var c = summary.Clipped;
            document["clip"] = new BsonDocument { ["modules"] = c.Modules, ["objects"] = c.SharedObjects, ["texts"] = c.Texts, ["numbers"] = c.Numbers };
        }
        FactsDocument.Write(document, facts);
        return document;
    }

    /// <summary>The per-summary part of the module and shared-object lists, only where it is not the default (every
    /// process, none at start-up, imported by all members): <c>[index, processes, startup, [members]]</c> per module,
    /// <c>[index, processes]</c> per shared object. For the ranks of one job it is empty.</summary>
    private static BsonDocument Deviations(ProcessSummary summary)
    {
        int processes = summary.Processes;
        var modules = new BsonArray();
        for (int i = 0; i < summary.Modules.Count; i++)
        {
            var m = summary.Modules[i];
            if (m.Processes != processes || m.StartupProcesses != 0 || m.Members.Count > 0)
            {
                modules.Add(new BsonArray
                {
                    i, m.Processes, m.StartupProcesses, new BsonArray(m.Members.Select(x => new BsonValue(x))),
                });
            }
        }
        var objects = new BsonArray();
        for (int i = 0; i < summary.SharedObjects.Count; i++)
        {
            if (summary.SharedObjects[i].Processes != processes)
            {
                objects.Add(new BsonArray { i, summary.SharedObjects[i].Processes });
            }
        }
        return new BsonDocument { ["m"] = modules, ["so"] = objects };
    }

    private static DateTime Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime;

    private static BsonDocument Member(SummaryMember m)
    {
        var document = new BsonDocument
        {
            ["rid"] = m.RecordId,
            ["pid"] = m.Pid,
            ["pidok"] = m.PidVerified,
            ["ppid"] = m.ParentPid,
            ["rank"] = m.Rank,
            ["start"] = Time(m.StartedAtMs),
            ["end"] = Time(m.EndedAtMs),
            ["importns"] = m.ImportNs,
            ["runns"] = m.RuntimeNs,
            ["exit"] = m.ExitReason,
            ["partial"] = m.Partial,
            ["cwd"] = m.WorkingDirectory,
        };
        // Only a member whose variables differ from the job's has them; null is a variable it had not set.
        if (m.Variables.Count > 0)
        {
            var variables = new BsonDocument();
            foreach (var (name, value) in m.Variables)
            {
                variables[name] = value == null ? BsonValue.Null : new BsonValue(value);
            }
            document["vars"] = variables;
        }
        return document;
    }



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

    private static BsonDocument Job(JobContext j, string key)
    {
        var variables = new BsonDocument();
        foreach (var (name, value) in j.Variables)
        {
            variables[name] = value;
        }
        return new BsonDocument
        {
            ["id"] = j.JobId,
            ["key"] = key,
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
