using LiteDB;
using Polaris.Collector.Storage;
using Polaris.Wire;

namespace Polaris.Collector.Reports;

/// <summary>What reports read: the roll-ups of a query's days and sources, united per library, with each user counted
/// under one number across sources (<see cref="CollectorStore.UserAliases"/>).</summary>
/// <param name="store">The store read.</param>
/// <param name="aborted">Stops the reading (day by day, summary by summary) when the request that asked is gone:
/// a report over many days costs seconds of CPU nobody would read.</param>
public sealed class ReportData(CollectorStore store, CancellationToken aborted = default)
{
    /// <summary>Libraries asked for that are read each by its own documents; more are read from the bundles.</summary>
    public const int ByIdAtMost = 10;

    /// <summary>All Python: the roll-up library <c>""</c>.</summary>
    public const string AllPython = "";

    /// <summary>The base environment's package list file (<c>baseEnvironmentPackages</c>, or <c>--base-packages</c>),
    /// read when the provisioning report runs; empty for none.</summary>
    public string BasePackagesFile { get; init; } = "";

    /// <summary>The data a collector's endpoints report from: its store and settings, read until the request is
    /// abandoned.</summary>
    internal static ReportData Serving(CollectorStore store, IServiceProvider services, CancellationToken aborted = default) =>
        new(store, aborted) { BasePackagesFile = services.GetService<CollectorOptions>()?.BaseEnvironmentPackages ?? "" };

    /// <summary>Every library of the query's days and sources (and all Python, <see cref="AllPython"/>), or only
    /// <paramref name="only"/> (all Python always included).</summary>
    /// <remarks>A month wholly inside the query is read from its month's roll-ups when they are built, other days from
    /// their days' bundles when built, else as the fold stored them (<see cref="RollupPeriods"/>): the same unions
    /// whichever is read.</remarks>
    /// <param name="query">The query.</param>
    /// <param name="only">The libraries wanted; null for all.</param>
    /// <param name="parts">What to read from the periods' bundles (their other sets read past): import cost needs no
    /// jobs, kinds, domains or origins. Days read as the fold stored them give everything.</param>
    public IReadOnlyDictionary<string, LibraryAggregate> Libraries(ReportQuery query, IReadOnlyCollection<string>? only = null, LibraryParts parts = LibraryParts.All)
    {
        ArgumentNullException.ThrowIfNull(query);
        var user = UserNumbers();
        var wanted = Wanted(only);
        // A few libraries are read by id, each its own document; more (import cost's fifty biggest) from the bundles,
        // the others read past: a big library's month is a large document of its own.
        bool byId = wanted != null && wanted.Count <= ByIdAtMost;
        var libraries = new Dictionary<string, LibraryAggregate>(StringComparer.Ordinal);
        foreach (var source in query.Sources)
        {
            for (var day = query.Since; day <= query.Until;)
            {
                aborted.ThrowIfCancellationRequested();
                var next = new DateOnly(day.Year, day.Month, 1).AddMonths(1);
                int month = CollectorStore.MonthOf(day);
                bool whole = day.Day == 1 && next.AddDays(-1) <= query.Until && store.PeriodBuilt(source, CollectorStore.MonthPeriod(month));
                if (whole)
                {
                    var packed = byId ? store.MonthRollups(source, month, wanted!) : store.PeriodBundle(source, CollectorStore.MonthPeriod(month));
                    foreach (var rollups in packed)
                    {
                        PackedRollups.AddTo(rollups, libraries, query.Domain, user, byId ? null : wanted, parts);
                    }
                    day = next;
                    continue;
                }
                if (!byId && store.PeriodBuilt(source, CollectorStore.DayPeriod(day)))
                {
                    foreach (var rollups in store.PeriodBundle(source, CollectorStore.DayPeriod(day)))
                    {
                        PackedRollups.AddTo(rollups, libraries, query.Domain, user, wanted, parts);
                    }
                }
                else if (!byId)
                {
                    foreach (var rollup in store.RollupDocuments(source, day, null).Where(r => wanted == null || wanted.Contains(r["lib"].AsString)))
                    {
                        LibraryAggregate.AddTo(libraries, rollup, query.Domain, user);
                    }
                }
                // A day the source has nothing of costs one query, not one per library (a year of a source that
                // only imports a month).
                else if (store.HasDay(source, day))
                {
                    foreach (var rollup in store.RollupDocuments(source, day, wanted))
                    {
                        LibraryAggregate.AddTo(libraries, rollup, query.Domain, user);
                    }
                }
                day = day.AddDays(1);
            }
        }
        return libraries;
    }

    /// <summary>The query's roll-ups of each day, one at a time, day by day and source by source: for reports over
    /// time.</summary>
    public IEnumerable<(DateOnly Day, RecordSource Source, BsonDocument Rollup)> Days(ReportQuery query, IReadOnlyCollection<string>? only = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var wanted = Wanted(only);
        for (var day = query.Since; day <= query.Until; day = day.AddDays(1))
        {
            aborted.ThrowIfCancellationRequested();
            foreach (var source in query.Sources)
            {
                foreach (var rollup in store.RollupDocuments(source, day, wanted))
                {
                    yield return (day, source, rollup);
                }
            }
        }
    }

    // A set: a bundle asks it of every library it holds.
    private static HashSet<string>? Wanted(IReadOnlyCollection<string>? only) =>
        only == null ? null : new HashSet<string>([AllPython, .. only.Where(l => l.Length > 0)], StringComparer.Ordinal);

    /// <summary>The chunks of one section of the query's uses (<see cref="UsesSections"/>): per source, a month
    /// wholly inside the query from its period when built, a day from its period when built, else from the day's
    /// stored summaries, packed as its period would be (today, and days maintenance has not built yet:
    /// <see cref="UsesSections.Unbuilt"/>).</summary>
    /// <remarks>Day by day, each source in turn: a day read from its summaries is read once for every source, and only
    /// that day's packed sections are held.</remarks>
    public IEnumerable<(RecordSource Source, byte[] Chunk)> Uses(ReportQuery query, string section)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sources = query.Sources.ToArray();
        var skipUntil = new DateOnly[sources.Length];
        var keptFrom = store.SummariesKeptFrom(DateTime.UtcNow);
        for (var day = query.Since; day <= query.Until; day = day.AddDays(1))
        {
            aborted.ThrowIfCancellationRequested();
            for (int i = 0; i < sources.Length; i++)
            {
                var source = sources[i];
                if (day < skipUntil[i])
                {
                    continue;
                }
                var next = new DateOnly(day.Year, day.Month, 1).AddMonths(1);
                string month = CollectorStore.MonthPeriod(CollectorStore.MonthOf(day));
                string dayPeriod = CollectorStore.DayPeriod(day);
                IReadOnlyList<byte[]> chunks;
                if (day.Day == 1 && next.AddDays(-1) <= query.Until && store.PeriodBuilt(source, month))
                {
                    chunks = store.PeriodUses(source, month, section);
                    skipUntil[i] = next;
                }
                else if (store.PeriodBuilt(source, dayPeriod))
                {
                    chunks = store.PeriodUses(source, dayPeriod, section);
                }
                else if (store.HasDay(source, day))
                {
                    // A day without the source's roll-ups has none of its summaries folded: nothing to read.
                    chunks = [.. Unbuilt(day, keptFrom, sources)[source].Sections.Where(s => s.Section == section).SelectMany(s => s.Chunks)];
                }
                else
                {
                    chunks = [];
                }
                foreach (var chunk in chunks)
                {
                    yield return (source, chunk);
                }
            }
        }
    }

    // The last day read from its summaries, every section of every source asked: a report that reads two sections
    // (provisioning) reads today's summaries once; one day's packed sections are held at most.
    private (DateOnly Day, RecordSource[] Sources, Dictionary<RecordSource, UnbuiltDay> Uses)? _unbuilt;

    private Dictionary<RecordSource, UnbuiltDay> Unbuilt(DateOnly day, DateOnly keptFrom, RecordSource[] sources)
    {
        if (_unbuilt is not { } held || held.Day != day || !sources.All(held.Sources.Contains))
        {
            _unbuilt = held = (day, sources, UsesSections.Unbuilt(store, day, keptFrom, sources, aborted));
        }
        return held.Uses;
    }

    /// <summary>The query's uses of one section (<see cref="UsesSections"/>) united: the entries whose name
    /// <paramref name="names"/> takes (all when null), of the query's domain (every domain, each apart, when none),
    /// each user counted under one number (<see cref="UserNumbers"/>).</summary>
    public UseTable UseTable(ReportQuery query, string section, Func<string, bool>? names = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var user = UserNumbers();
        var table = new UseTable();
        foreach (var (_, chunk) in Uses(query, section))
        {
            PackedUses.AddTo(chunk, table, names, query.Domain, user);
        }
        return table;
    }

    /// <summary>The node counts of the accounting records of <paramref name="jobKeys"/> that give one.</summary>
    public Dictionary<string, int> AccountedNodes(IEnumerable<string> jobKeys) => store.AccountedNodes(jobKeys);

    /// <summary>The agent's jobs last seen in [<paramref name="sinceUtc"/>, <paramref name="untilUtc"/>) that loaded from
    /// home directories, the most such processes first.</summary>
    public IReadOnlyList<Jobs.JobState> HomeLoadingJobs(DateTime sinceUtc, DateTime untilUtc, int top) => store.Jobs.StoredHomeLoading(sinceUtc, untilUtc, top);

    /// <summary>Maps a roll-up's user number to the one a report counts: an imported name's number to the uid the
    /// agent later showed for it.</summary>
    public Func<long, long> UserNumbers()
    {
        var aliases = store.UserAliases();
        return aliases.Count == 0 ? (u => u) : (u => aliases.TryGetValue(u, out long uid) ? uid : u);
    }
}
