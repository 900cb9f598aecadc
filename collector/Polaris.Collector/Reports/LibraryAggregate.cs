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

    /// <summary>Adds one day's roll-up as the fold stores it (<see cref="RollupDay.ToDocument"/>): all of it, or only
    /// <paramref name="domain"/>'s users, jobs and processes. Built periods are read by <see cref="PackedRollups"/>.</summary>
    /// <param name="rollup">The stored roll-up.</param>
    /// <param name="domain">The domain the report is filtered to, or null.</param>
    /// <param name="user">The number a user counts under (an imported name's number becomes the uid the agent showed).</param>
    public void Add(BsonDocument rollup, string? domain, Func<long, long> user)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        ArgumentNullException.ThrowIfNull(user);
        if (domain != null)
        {
            foreach (var d in rollup["d"].AsArray)
            {
                if (d[0].AsString == domain)
                {
                    Processes += d[3].AsInt64;
                    AddStoredDomain(domain, d, user);
                    RollupDay.AddNumbers(d[1], Users, user);
                    RollupDay.AddJobNumbers(d[2], Jobs);
                }
            }
            return; // kinds, origins and times are not kept per domain
        }
        Processes += rollup["p"].AsInt64;
        StartupProcesses += rollup["s"].AsInt64;
        RollupDay.AddNumbers(rollup["u"], Users, user);
        RollupDay.AddJobNumbers(rollup["j"], Jobs);
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
            AddStoredDomain(d[0].AsString, d, user);
        }
        var origins = rollup["o"].AsArray;
        for (int i = 0; i + 1 < origins.Count; i += 2)
        {
            OriginLoads[(int)WireNames.ParseOrigin(origins[i].AsString)] += origins[i + 1].AsInt64;
        }
        ImportNs.Add(FactsDocument.ReadHistogram(rollup["h"].AsDocument));
    }

    /// <summary>Adds a day's stored roll-up to its library's aggregate in <paramref name="libraries"/>, made when it is
    /// the first of its library (as <see cref="PackedRollups.AddTo"/> does for a period's).</summary>
    public static void AddTo(Dictionary<string, LibraryAggregate> libraries, BsonDocument rollup, string? domain, Func<long, long> user)
    {
        ArgumentNullException.ThrowIfNull(libraries);
        ArgumentNullException.ThrowIfNull(rollup);
        string library = rollup["lib"].AsString;
        if (!libraries.TryGetValue(library, out var aggregate))
        {
            libraries[library] = aggregate = new LibraryAggregate(library);
        }
        aggregate.Add(rollup, domain, user);
    }

    internal void AddCounts(long processes, long startupProcesses)
    {
        Processes += processes;
        StartupProcesses += startupProcesses;
    }

    internal void AddKind(string kind, ReadOnlySpan<byte> users, long processes, Func<long, long> user)
    {
        if (!KindUsers.TryGetValue(kind, out var set))
        {
            KindUsers[kind] = set = [];
        }
        PackedSet.AddNumbers(users, set, user);
        KindProcesses[kind] = KindProcesses.GetValueOrDefault(kind) + processes;
    }

    /// <summary>Adds a domain's packed sets; with <paramref name="alsoTotals"/> (a report filtered to that domain) they
    /// are the library's users, jobs and processes too.</summary>
    internal void AddDomain(string name, ReadOnlySpan<byte> users, ReadOnlySpan<byte> jobs, long processes, Func<long, long> user, bool alsoTotals)
    {
        if (!Domains.TryGetValue(name, out var entry))
        {
            entry = ([], [], 0);
        }
        PackedSet.AddNumbers(users, entry.Users, user);
        PackedSet.AddNumbers(jobs, entry.Jobs);
        Domains[name] = (entry.Users, entry.Jobs, entry.Processes + processes);
        if (alsoTotals)
        {
            Processes += processes;
            PackedSet.AddNumbers(users, Users, user);
            PackedSet.AddNumbers(jobs, Jobs);
        }
    }

    private void AddStoredDomain(string name, BsonValue stored, Func<long, long> user)
    {
        if (!Domains.TryGetValue(name, out var entry))
        {
            entry = ([], [], 0);
        }
        RollupDay.AddNumbers(stored[1], entry.Users, user);
        RollupDay.AddJobNumbers(stored[2], entry.Jobs);
        Domains[name] = (entry.Users, entry.Jobs, entry.Processes + stored[3].AsInt64);
    }
}
