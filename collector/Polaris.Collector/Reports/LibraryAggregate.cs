using Polaris.Collector.Aggregation;
using Polaris.Collector.Storage;

namespace Polaris.Collector.Reports;

/// <summary>One library (or all Python, <c>""</c>) over a report's days and sources: the union of its roll-ups' sets
/// (a user on two days, or seen by two sources, is one user) and the sums of their counts.</summary>
public sealed class LibraryAggregate(string library)
{
    public string Library { get; } = library;

    public HashSet<long> Users { get; } = [];

    public HashSet<string> Jobs { get; } = new(StringComparer.Ordinal);

    public long Processes { get; private set; }

    public long StartupProcesses { get; private set; }

    /// <summary>Users per environment kind (over every domain: the roll-ups keep kinds apart from domains).</summary>
    public Dictionary<string, HashSet<long>> KindUsers { get; } = new(StringComparer.Ordinal);

    /// <summary>Processes per environment kind.</summary>
    public Dictionary<string, long> KindProcesses { get; } = new(StringComparer.Ordinal);

    /// <summary>Per domain: users, jobs, processes.</summary>
    public Dictionary<string, (HashSet<long> Users, HashSet<string> Jobs, long Processes)> Domains { get; } = new(StringComparer.Ordinal);

    public long[] OriginLoads { get; } = new long[LibraryFacts.OriginCount];

    public ImportHistogram ImportNs { get; } = new();

    /// <summary>Adds one day's roll-up: all of it, or only <paramref name="domain"/>'s users, jobs and processes.</summary>
    /// <param name="rollup">The roll-up.</param>
    /// <param name="domain">The domain the report is filtered to, or null.</param>
    /// <param name="user">The number a user counts under (an imported name's number becomes the uid the agent showed).</param>
    public void Add(RollupDay rollup, string? domain, Func<long, long> user)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        ArgumentNullException.ThrowIfNull(user);
        if (domain != null)
        {
            if (rollup.Domains.TryGetValue(domain, out var only))
            {
                Processes += only.Processes;
                Users.UnionWith(only.Users.Select(user));
                Jobs.UnionWith(only.Jobs);
                AddDomain(domain, only.Users, only.Jobs, only.Processes, user);
            }
            return; // kinds, origins and times are not kept per domain
        }
        Processes += rollup.Processes;
        StartupProcesses += rollup.StartupProcesses;
        Users.UnionWith(rollup.Users.Select(user));
        Jobs.UnionWith(rollup.Jobs);
        foreach (var (kind, (users, processes)) in rollup.Kinds)
        {
            if (!KindUsers.TryGetValue(kind, out var set))
            {
                KindUsers[kind] = set = [];
            }
            set.UnionWith(users.Select(user));
            KindProcesses[kind] = KindProcesses.GetValueOrDefault(kind) + processes;
        }
        foreach (var (name, (users, jobs, processes)) in rollup.Domains)
        {
            AddDomain(name, users, jobs, processes, user);
        }
        for (int i = 0; i < OriginLoads.Length && i < rollup.OriginLoads.Length; i++)
        {
            OriginLoads[i] += rollup.OriginLoads[i];
        }
        ImportNs.Add(rollup.ImportNs);
    }

    private void AddDomain(string name, HashSet<long> users, HashSet<string> jobs, long processes, Func<long, long> user)
    {
        if (!Domains.TryGetValue(name, out var entry))
        {
            entry = ([], new HashSet<string>(StringComparer.Ordinal), 0);
        }
        entry.Users.UnionWith(users.Select(user));
        entry.Jobs.UnionWith(jobs);
        Domains[name] = (entry.Users, entry.Jobs, entry.Processes + processes);
    }
}
