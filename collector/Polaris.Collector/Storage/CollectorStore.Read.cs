using System.Text.Json;
using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

public sealed partial class CollectorStore
{
    /// <summary>Python processes stored (all days kept in the roll-ups), and per library the processes whose program
    /// imported it: the running totals (<see cref="LibraryTotals"/>) and what is stored but not folded yet, so the
    /// answer is as current as /metrics. Reads no roll-up: its cost is the number of libraries, not of days.</summary>
    public StoreTotals Totals()
    {
        lock (_write)
        {
            long processes = _totals.Processes;
            var libraries = new Dictionary<string, long>(_totals.Libraries, StringComparer.Ordinal);
            foreach (var (_, facts, _) in _unfolded)
            {
                processes += facts.Processes;
                foreach (var library in facts.Libraries.Where(l => l.Processes > 0))
                {
                    libraries[library.Name] = libraries.GetValueOrDefault(library.Name) + library.Processes;
                }
            }
            return new StoreTotals(processes, libraries);
        }
    }

    /// <summary>The most recently started summaries, newest first, each as one JSON object (docs/collector.md, "API"),
    /// its modules and shared objects joined back from its table; read one at a time as the sequence is enumerated.</summary>
    /// <remarks>Only the ids are read up front; each document is read, written as JSON and let go while the caller
    /// writes it, and no database cursor lives across the caller's awaits.</remarks>
    public IEnumerable<byte[]> RecentSummaries(int limit)
    {
        var ids = _summaries.Query().Where("$.sup != true").OrderByDescending("start").Select("{ id: $._id }").Limit(limit).ToEnumerable()
            .Select(d => d["id"]).ToArray();
        foreach (var id in ids)
        {
            if (_summaries.FindById(id) is { } document)
            {
                var table = _tables.FindById(document["table"]) is { } t ? ModuleTable.FromDocument(t) : null;
                yield return SummaryJson(document, table);
            }
        }
    }

    /// <summary>The stored summaries of one UTC day, one at a time, a live summary's versions that a later one replaced
    /// left out (the latest holds all they held). A day's ids are read first, so no LiteDB cursor lives across the
    /// caller's work.</summary>
    private IEnumerable<BsonDocument> LatestSummariesOn(DateOnly day)
    {
        int number = Days.FromNumber(day.DayNumber);
        var ids = _summaries.Query().Where(Query.EQ("day", number)).Select("{ id: $._id }").ToEnumerable().Select(d => d["id"].AsInt64).ToArray();
        foreach (var id in ids)
        {
            if (_summaries.FindById(id) is { } document && !(document["sup"].IsBoolean && document["sup"].AsBoolean))
            {
                yield return document;
            }
        }
    }

    private ModuleTable? TableOf(Dictionary<string, ModuleTable?> tables, string id)
    {
        if (!tables.TryGetValue(id, out var table))
        {
            tables[id] = table = _tables.FindById(id) is { } t ? ModuleTable.FromDocument(t) : null;
        }
        return table;
    }

    private static byte[] SummaryJson(BsonDocument document, ModuleTable? table)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in document)
            {
                if (key is "_id" or "table" or "dev" or "times" or "libs")
                {
                    continue;
                }
                writer.WritePropertyName(key);
                BsonJson.Write(writer, value);
            }
            writer.WriteNumber("id", document["_id"].AsInt64);
            WriteLibraries(writer, FactsDocument.ReadLibraries(document["libs"].AsBinary));
            WriteModules(writer, document, table);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteModules(Utf8JsonWriter writer, BsonDocument document, ModuleTable? table)
    {
        int processes = document["procs"].AsInt32;
        var modules = new Dictionary<int, BsonArray>();
        var objects = new Dictionary<int, long>();
        if (document["dev"].IsDocument)
        {
            foreach (var d in document["dev"]["m"].AsArray)
            {
                modules[d[0].AsInt32] = d.AsArray;
            }
            foreach (var d in document["dev"]["so"].AsArray)
            {
                objects[d[0].AsInt32] = d[1].AsInt64;
            }
        }
        var times = ModuleTimesBlob.Read(document["times"].IsBinary ? document["times"].AsBinary : null);
        writer.WriteStartArray("modules");
        for (int i = 0; table != null && i < table.Names.Length; i++)
        {
            writer.WriteStartObject();
            writer.WriteString("name", table.Names[i]);
            writer.WriteString("file", table.Files[i]);
            writer.WriteString("kind", ((ModuleKind)table.Kinds[i]).Name());
            writer.WriteString("version", table.Versions[i]);
            writer.WriteString("origin", ((Origin)table.Origins[i]).Name());
            var deviation = modules.GetValueOrDefault(i);
            writer.WriteNumber("processes", deviation?[1].AsInt32 ?? processes);
            writer.WriteNumber("startup", deviation?[2].AsInt32 ?? 0);
            if (deviation != null && deviation[3].AsArray.Count > 0)
            {
                writer.WritePropertyName("members");
                BsonJson.Write(writer, deviation[3]);
            }
            if (i < times.Count)
            {
                WriteDistribution(writer, "self", times[i].Self);
                WriteDistribution(writer, "cum", times[i].Cumulative);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("sharedObjects");
        for (int i = 0; table != null && i < table.Objects.Length; i++)
        {
            writer.WriteStartObject();
            writer.WriteString("path", table.Objects[i]);
            writer.WriteString("origin", ((Origin)table.ObjectOrigins[i]).Name());
            writer.WriteNumber("processes", objects.TryGetValue(i, out var p) ? p : processes);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteLibraries(Utf8JsonWriter writer, IReadOnlyList<Aggregation.LibraryFacts> libraries)
    {
        writer.WriteStartArray("libraries");
        foreach (var library in libraries)
        {
            writer.WriteStartObject();
            writer.WriteString("name", library.Name);
            writer.WriteNumber("processes", library.Processes);
            writer.WriteNumber("startup", library.StartupProcesses);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteDistribution(Utf8JsonWriter writer, string name, TimeDistribution d)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("count", d.Count);
        writer.WriteNumber("sum", d.Sum);
        writer.WriteNumber("min", d.Min);
        writer.WriteNumber("max", d.Max);
        writer.WriteNumber("p50", d.Quantile(0.5));
        writer.WriteNumber("p95", d.Quantile(0.95));
        writer.WriteEndObject();
    }
}
