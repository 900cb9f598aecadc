using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Collector.Export;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>A stored summary's document (<see cref="SummaryDocument"/>, <see cref="FactsDocument"/>) and its module
/// table as export's rows: one per member process, one per module.</summary>
/// <remarks>Read field by field with nulls for what an older store's document lacks, so that a store written before a
/// field existed still exports.</remarks>
internal static class SummaryRows
{
    public static ExportedSummary Of(BsonDocument document, ModuleTable? table)
    {
        long id = document["_id"].AsInt64;
        var source = document["src"].IsString ? document["src"].AsString : RecordSource.Agent.Name();
        var job = document["job"].IsDocument ? document["job"].AsDocument : new BsonDocument();
        var environment = document["env"].IsDocument ? document["env"].AsDocument : new BsonDocument();
        long? uid = document["uid"].IsNumber ? document["uid"].AsInt64 : null;
        var jobKey = Text(job["key"]);
        bool inJob = Text(job["id"]) != null;
        // XALT and PyModuleSnooper time no import and no run: their zeros would read as instant processes in an average.
        bool timed = source == RecordSource.Agent.Name();
        var processes = new List<ProcessRow>();
        foreach (var member in document["members"].IsArray ? document["members"].AsArray : [])
        {
            processes.Add(new ProcessRow
            {
                Source = source,
                SummaryId = id,
                Host = Text(document["host"]),
                Uid = uid,
                User = Text(document["user"]),
                JobId = Text(job["id"]),
                JobKey = jobKey,
                Account = Text(job["account"]),
                Domain = Text(document["dom"]),
                Queue = Text(job["queue"]),
                // 0 nodes and rank -1 are the wire's "none": nulls say so to a reader who would average them.
                JobNodes = inJob && job["nodes"].IsNumber && job["nodes"].AsInt64 > 0 ? job["nodes"].AsInt64 : null,
                Rank = member["rank"].IsNumber && member["rank"].AsInt64 >= 0 ? member["rank"].AsInt64 : null,
                Pid = member["pid"].IsNumber && member["pid"].AsInt64 > 0 ? member["pid"].AsInt64 : null,
                Start = Time(member["start"]),
                End = Time(member["end"]),
                EnvironmentKind = Text(environment["kind"]),
                EnvironmentPrefix = Text(environment["prefix"]),
                Executable = Text(document["exe"]),
                PythonVersion = Text(document["python"]),
                ImportNs = timed ? Number(member["importns"]) : null,
                RunNs = timed ? Number(member["runns"]) : null,
                ExitReason = Text(member["exit"]),
            });
        }
        return new ExportedSummary(processes, table == null ? [] : Modules(document, table, source, id, jobKey, uid));
    }

    private static List<ModuleRow> Modules(BsonDocument document, ModuleTable table, string source, long id, string? jobKey, long? uid)
    {
        int processes = document["procs"].AsInt32;
        // What differs from the defaults (every process, none at start-up): [index, processes, startup, [members]].
        var deviations = new Dictionary<int, BsonArray>();
        if (document["dev"].IsDocument && document["dev"]["m"].IsArray)
        {
            foreach (var d in document["dev"]["m"].AsArray)
            {
                deviations[d[0].AsInt32] = d.AsArray;
            }
        }
        var times = ModuleTimesBlob.Read(document["times"].IsBinary ? document["times"].AsBinary : null);
        var rows = new List<ModuleRow>(table.Names.Length);
        for (int i = 0; i < table.Names.Length; i++)
        {
            var name = table.Names[i];
            var top = name.Split('.', 2)[0];
            var deviation = deviations.GetValueOrDefault(i);
            var (self, cumulative) = i < times.Count ? times[i] : (new TimeDistribution(), new TimeDistribution());
            rows.Add(new ModuleRow
            {
                Source = source,
                SummaryId = id,
                JobKey = jobKey,
                Uid = uid,
                Module = name,
                Library = LibraryNames.IsLibrary(top) ? top : null,
                File = Empty(table.Files[i]),
                Origin = Empty(((Origin)table.Origins[i]).Name()),
                Kind = Empty(((ModuleKind)table.Kinds[i]).Name()),
                Version = Empty(table.Versions[i]),
                Processes = deviation?[1].AsInt32 ?? processes,
                StartupProcesses = deviation?[2].AsInt32 ?? 0,
                SelfCount = self.Count,
                SelfSumNs = self.Sum,
                SelfMinNs = self.Count > 0 ? self.Min : null,
                SelfMaxNs = self.Count > 0 ? self.Max : null,
                CumulativeCount = cumulative.Count,
                CumulativeSumNs = cumulative.Sum,
                CumulativeMinNs = cumulative.Count > 0 ? cumulative.Min : null,
                CumulativeMaxNs = cumulative.Count > 0 ? cumulative.Max : null,
            });
        }
        return rows;
    }

    // Empty strings are what the wire sends for "not known"; a null is what a reader filters and counts as missing.
    private static string? Text(BsonValue value) => value.IsString ? Empty(value.AsString) : null;

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static long? Number(BsonValue value) => value.IsNumber ? value.AsInt64 : null;

    private static DateTime? Time(BsonValue value) => value.IsDateTime ? value.AsDateTime.ToUniversalTime() : null;
}
