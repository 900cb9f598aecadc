using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Collector.Storage;
using Polaris.Wire;

namespace Polaris.Collector.Reports;

/// <summary>One library (or all Python, <c>""</c>) over a report's days and sources: the union of its stored roll-ups'
/// sets (a user on two days, or seen by two sources, is one user) and the sums of their counts. Jobs are counted by
/// their job numbers (<see cref="PackedSet.JobNumber(string)"/>), so that a year of jobs never becomes strings.</summary>
public sealed class LibraryAggregate(string library)
{
    public string Library { get; } = library;

    public HashSet<long> Users { get; } = [];

    public HashSet<long> Jobs { get; } = [];

    public long Processes { get; private set; }

    public long StartupProcesses { get; private set; }

    /// <summary>Users per environment kind (over every domain: the roll-ups keep kinds apart from domains).</summary>
    public Dictionary<string, HashSet<long>> KindUsers { get; } = new(StringComparer.Ordinal);

    /// <summary>Processes per environment kind.</summary>
    public Dictionary<string, long> KindProcesses { get; } = new(StringComparer.Ordinal);

    /// <summary>Per domain: users, jobs, processes.</summary>
    public Dictionary<string, (HashSet<long> Users, HashSet<long> Jobs, long Processes)> Domains { get; } = new(StringComparer.Ordinal);

    public long[] OriginLoads { get; } = new long[LibraryFacts.OriginCount];

    public ImportHistogram ImportNs { get; } = new();

    /// <summary>Adds one stored roll-up, a day's as the fold stores it (<see cref="RollupDay.ToDocument"/>) or a
    /// period's (<see cref="ToPeriodRollup"/>): all of it, or only <paramref name="domain"/>'s users, jobs and processes.</summary>
    /// <param name="rollup">The stored roll-up.</param>
    /// <param name="domain">The domain the report is filtered to, or null.</param>
    /// <param name="user">The number a user counts under (an imported name's number becomes the uid the agent showed).</param>
    public void Add(BsonDocument rollup, string? domain, Func<long, long> user)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        ArgumentNullException.ThrowIfNull(user);
        // A period's roll-up keeps its jobs as numbers already ("jn"); a day's as the fold stores it keeps the job keys ("j").
        bool numbered = rollup.ContainsKey(JobNumbersField);
        if (domain != null)
        {
            foreach (var d in rollup["d"].AsArray)
            {
                if (d[0].AsString == domain)
                {
                    Processes += d[3].AsInt64;
                    AddDomain(domain, d, numbered, user);
                    RollupDay.AddNumbers(d[1], Users, user);
                    AddJobs(d[2], numbered, Jobs);
                }
            }
            return; // kinds, origins and times are not kept per domain
        }
        Processes += rollup["p"].AsInt64;
        StartupProcesses += rollup["s"].AsInt64;
        RollupDay.AddNumbers(rollup["u"], Users, user);
        AddJobs(numbered ? rollup[JobNumbersField] : rollup["j"], numbered, Jobs);
        foreach (var k in rollup["k"].AsArray)
        {
            string kind = k[0].AsString;
            if (!KindUsers.TryGetValue(kind, out var set))
            {
                KindUsers[kind] = set = [];
            }
            RollupDay.AddNumbers(k[1], set, user);
            KindProcesses[kind] = KindProcesses.GetValueOrDefault(kind) + k[2].AsInt64;
        }
        foreach (var d in rollup["d"].AsArray)
        {
            AddDomain(d[0].AsString, d, numbered, user);
        }
        var origins = rollup["o"].AsArray;
        for (int i = 0; i + 1 < origins.Count; i += 2)
        {
            OriginLoads[(int)WireNames.ParseOrigin(origins[i].AsString)] += origins[i + 1].AsInt64;
        }
        ImportNs.Add(FactsDocument.ReadHistogram(rollup["h"].AsDocument));
    }

    /// <summary>The field of a period's roll-up that holds its job numbers.</summary>
    public const string JobNumbersField = "jn";

    /// <summary>This aggregate as a period's stored roll-up (<see cref="CollectorStore.StorePeriod"/>): the layout of a
    /// day's, its jobs as numbers. Built with user numbers as stored (no aliases: they can change after the period is
    /// built) and no domain filter.</summary>
    public BsonDocument ToPeriodRollup()
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
            ["lib"] = Library,
            ["u"] = PackedSet.Numbers(Users),
            [JobNumbersField] = PackedSet.Numbers(Jobs),
            ["p"] = Processes,
            ["s"] = StartupProcesses,
            ["k"] = new BsonArray(KindUsers.Select(k => new BsonArray { k.Key, PackedSet.Numbers(k.Value), KindProcesses.GetValueOrDefault(k.Key) })),
            ["d"] = new BsonArray(Domains.Select(d => new BsonArray { d.Key, PackedSet.Numbers(d.Value.Users), PackedSet.Numbers(d.Value.Jobs), d.Value.Processes })),
            ["o"] = origins,
            ["h"] = FactsDocument.Histogram(ImportNs),
        };
    }

    private static void AddJobs(BsonValue stored, bool numbered, HashSet<long> into)
    {
        if (numbered)
        {
            RollupDay.AddNumbers(stored, into);
        }
        else
        {
            RollupDay.AddJobNumbers(stored, into);
        }
    }

    private void AddDomain(string name, BsonValue stored, bool numbered, Func<long, long> user)
    {
        if (!Domains.TryGetValue(name, out var entry))
        {
            entry = ([], [], 0);
        }
        RollupDay.AddNumbers(stored[1], entry.Users, user);
        AddJobs(stored[2], numbered, entry.Jobs);
        Domains[name] = (entry.Users, entry.Jobs, entry.Processes + stored[3].AsInt64);
    }
}
