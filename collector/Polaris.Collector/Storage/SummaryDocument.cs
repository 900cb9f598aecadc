using LiteDB;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>How a <see cref="ProcessSummary"/> is laid out in LiteDB's <c>summaries</c> collection.</summary>
/// <remarks>Durations are in ns; a distribution is stored with its estimated median and 95th percentile, so
/// reports need not rebuild it.</remarks>
internal static class SummaryDocument
{
    public static BsonDocument From(ProcessSummary summary, string batchKey, IReadOnlyList<(string Library, int Processes)> libraries)
    {
        var members = summary.Members;
        return new BsonDocument
        {
            ["batch"] = batchKey,
            ["host"] = summary.Host,
            ["uid"] = (long)summary.Uid,
            ["user"] = summary.User,
            ["python"] = summary.PythonVersion,
            ["exe"] = summary.Executable,
            ["procs"] = summary.Processes,
            ["start"] = Time(members.Min(m => m.StartedAtMs)),
            ["end"] = Time(members.Max(m => m.EndedAtMs)),
            ["libraries"] = new BsonArray(libraries.Select(l => new BsonValue(l.Library))),
            ["libprocs"] = new BsonArray(libraries.Select(l => new BsonValue(l.Processes))),
            ["members"] = new BsonArray(members.Select(Member)),
            ["modules"] = new BsonArray(summary.Modules.Select(Module)),
            ["sos"] = new BsonArray(summary.SharedObjects.Select(s => new BsonDocument { ["p"] = s.Path, ["o"] = s.Origin.Name(), ["c"] = s.Processes })),
            ["env"] = Environment(summary.Environment),
            ["job"] = Job(summary.Job),
        };
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

    private static BsonDocument Module(ModuleUse m)
    {
        var document = new BsonDocument
        {
            ["n"] = m.Name,
            ["f"] = m.File,
            ["k"] = m.Kind.Name(),
            ["v"] = m.Version,
            ["o"] = m.Origin.Name(),
            ["c"] = m.Processes,
            ["self"] = Distribution(m.SelfNs),
            ["cum"] = Distribution(m.CumulativeNs),
        };
        if (m.Members.Count > 0)
        {
            document["m"] = new BsonArray(m.Members.Select(i => new BsonValue(i)));
        }
        return document;
    }

    private static BsonDocument Distribution(TimeDistribution d) => new()
    {
        ["n"] = d.Count,
        ["sum"] = d.Sum,
        ["min"] = d.Min,
        ["p50"] = d.Quantile(0.5),
        ["p95"] = d.Quantile(0.95),
        ["max"] = d.Max,
        ["hist"] = new BsonArray(d.Buckets.SelectMany(b => new[] { new BsonValue(b.Bucket), new BsonValue(b.Count) })),
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
