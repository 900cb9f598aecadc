using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>One day of one library (or of all Python, library <c>""</c>): distinct users and jobs, processes, start-up
/// processes, by environment kind and by domain, module loads by origin, and import times. It outlives the summaries
/// it came from (<c>rollupRetentionDays</c>).</summary>
/// <remarks>Users and jobs are kept as sets, not counts, so that distinct counts over several days (a user seen on two
/// days counts once) and over several collectors come out right.</remarks>
public sealed class RollupDay(int day, string library)
{
    public int Day { get; } = day;

    public string Library { get; } = library;

    public HashSet<long> Users { get; } = [];

    public HashSet<string> Jobs { get; } = new(StringComparer.Ordinal);

    public long Processes { get; set; }

    public long StartupProcesses { get; set; }

    /// <summary>Per environment kind: distinct users and processes.</summary>
    public Dictionary<string, (HashSet<long> Users, long Processes)> Kinds { get; } = new(StringComparer.Ordinal);

    /// <summary>Per domain: distinct users, distinct jobs and processes.</summary>
    public Dictionary<string, (HashSet<long> Users, HashSet<string> Jobs, long Processes)> Domains { get; } = new(StringComparer.Ordinal);

    public long[] OriginLoads { get; } = new long[LibraryFacts.OriginCount];

    public ImportHistogram ImportNs { get; } = new();

    /// <summary>The stored id: <c>yyyyMMdd|library</c>.</summary>
    public static string IdOf(int day, string library) => $"{day}|{library}";

    /// <summary>Adds a summary's processes: all of them when <paramref name="library"/> is null (all Python), else
    /// those the library's facts give.</summary>
    public void Add(SummaryFacts facts, LibraryFacts? library)
    {
        ArgumentNullException.ThrowIfNull(facts);
        int processes = library?.Processes ?? facts.Processes;
        StartupProcesses += library?.StartupProcesses ?? 0;
        if (library != null)
        {
            for (int i = 0; i < OriginLoads.Length; i++)
            {
                OriginLoads[i] += library.OriginLoads[i];
            }
            ImportNs.Add(library.ImportNs);
        }
        if (processes == 0)
        {
            return;
        }
        Processes += processes;
        Users.Add(facts.Uid);
        if (!Kinds.TryGetValue(facts.Kind, out var kind))
        {
            kind = ([], 0);
        }
        kind.Users.Add(facts.Uid);
        Kinds[facts.Kind] = (kind.Users, kind.Processes + processes);
        if (!Domains.TryGetValue(facts.Domain, out var domain))
        {
            domain = ([], new HashSet<string>(StringComparer.Ordinal), 0);
        }
        domain.Users.Add(facts.Uid);
        if (facts.JobKey.Length > 0)
        {
            Jobs.Add(facts.JobKey);
            domain.Jobs.Add(facts.JobKey);
        }
        Domains[facts.Domain] = (domain.Users, domain.Jobs, domain.Processes + processes);
    }

    public BsonDocument ToDocument()
    {
        var origins = new BsonArray();
        for (int i = 0; i < OriginLoads.Length; i++)
        {
            if (OriginLoads[i] != 0)
            {
                origins.Add(((Origin)i).Name() is { Length: > 0 } name ? name : "unknown");
                origins.Add(OriginLoads[i]);
            }
        }
        return new BsonDocument
        {
            ["_id"] = IdOf(Day, Library),
            ["day"] = Day,
            ["lib"] = Library,
            ["u"] = PackedSet.Numbers(Users),
            ["j"] = PackedSet.Texts(Jobs),
            ["p"] = Processes,
            ["s"] = StartupProcesses,
            ["k"] = new BsonArray(Kinds.Select(k => new BsonArray { k.Key, PackedSet.Numbers(k.Value.Users), k.Value.Processes })),
            ["d"] = new BsonArray(Domains.Select(d => new BsonArray { d.Key, PackedSet.Numbers(d.Value.Users), PackedSet.Texts(d.Value.Jobs), d.Value.Processes })),
            ["o"] = origins,
            ["h"] = FactsDocument.Histogram(ImportNs),
        };
    }

    public static RollupDay FromDocument(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var rollup = new RollupDay(document["day"].AsInt32, document["lib"].AsString)
        {
            Processes = document["p"].AsInt64,
            StartupProcesses = document["s"].AsInt64,
        };
        AddNumbers(document["u"], rollup.Users);
        AddTexts(document["j"], rollup.Jobs);
        foreach (var k in document["k"].AsArray)
        {
            var users = new HashSet<long>();
            AddNumbers(k[1], users);
            rollup.Kinds[k[0].AsString] = (users, k[2].AsInt64);
        }
        foreach (var d in document["d"].AsArray)
        {
            var users = new HashSet<long>();
            var jobs = new HashSet<string>(StringComparer.Ordinal);
            AddNumbers(d[1], users);
            AddTexts(d[2], jobs);
            rollup.Domains[d[0].AsString] = (users, jobs, d[3].AsInt64);
        }
        var origins = document["o"].AsArray;
        for (int i = 0; i + 1 < origins.Count; i += 2)
        {
            var origin = WireNames.ParseOrigin(origins[i].AsString);
            rollup.OriginLoads[(int)origin] += origins[i + 1].AsInt64;
        }
        rollup.ImportNs.Add(FactsDocument.ReadHistogram(document["h"].AsDocument));
        return rollup;
    }

    /// <summary>Adds a stored set of numbers: packed (<see cref="PackedSet"/>), or a BSON array as stores written before
    /// packing hold.</summary>
    internal static void AddNumbers(BsonValue stored, HashSet<long> into, Func<long, long>? map = null)
    {
        if (stored.IsBinary)
        {
            PackedSet.AddNumbers(stored.AsBinary, into, map);
            return;
        }
        foreach (var value in stored.AsArray)
        {
            into.Add(map == null ? value.AsInt64 : map(value.AsInt64));
        }
    }

    /// <summary>Adds a stored set of texts, packed or a BSON array.</summary>
    internal static void AddTexts(BsonValue stored, ICollection<string> into)
    {
        if (stored.IsBinary)
        {
            PackedSet.AddTexts(stored.AsBinary, into);
            return;
        }
        foreach (var value in stored.AsArray)
        {
            into.Add(value.AsString);
        }
    }

    /// <summary>Adds the job numbers (<see cref="PackedSet.JobNumber(string)"/>) of a stored set of job keys.</summary>
    internal static void AddJobNumbers(BsonValue stored, HashSet<long> into)
    {
        if (stored.IsBinary)
        {
            PackedSet.AddJobNumbers(stored.AsBinary, into);
            return;
        }
        foreach (var value in stored.AsArray)
        {
            into.Add(PackedSet.JobNumber(value.AsString));
        }
    }
}
