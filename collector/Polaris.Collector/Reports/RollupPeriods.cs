using System.Buffers;
using System.Diagnostics;
using LiteDB;
using Polaris.Collector.Storage;
using Polaris.Wire;

namespace Polaris.Collector.Reports;

/// <summary>Builds the roll-ups of periods that are over (<see cref="CollectorStore.StorePeriod"/>): each past day's
/// libraries bundled, then each past month's libraries united from its days, as a report would unite them.</summary>
public static class RollupPeriods
{
    private static readonly RecordSource[] Sources = [RecordSource.Agent, RecordSource.Xalt, RecordSource.PyModuleSnooper];

    /// <summary>Builds the days before <paramref name="nowUtc"/>'s and the months before its month, within
    /// <paramref name="rollupRetentionDays"/>, that have daily roll-ups and are not built, until
    /// <paramref name="budget"/> has passed.</summary>
    /// <returns>Periods built; fewer than there are to build when the budget ran out.</returns>
    /// <param name="store">The store.</param>
    /// <param name="nowUtc">Now.</param>
    /// <param name="rollupRetentionDays">How far back periods are built.</param>
    /// <param name="budget">How long it may take (a period begun is finished).</param>
    /// <param name="cancel">Stops it between periods.</param>
    /// <param name="usesDropped">Told how many entries a period's uses refused past their bounds
    /// (<see cref="PeriodUses.MaxModules"/>), when any did.</param>
    /// <param name="failed">Told of a period that could not be built (a damaged bundle, a store error): it is left, the
    /// others are built, and it is tried again at the next round.</param>
    public static int Build(CollectorStore store, DateTime nowUtc, int rollupRetentionDays, TimeSpan budget, CancellationToken cancel = default,
        Action<long>? usesDropped = null, Action<Exception>? failed = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var clock = Stopwatch.StartNew();
        var today = DateOnly.FromDateTime(nowUtc);
        var oldest = today.AddDays(-rollupRetentionDays);
        var keptFrom = store.SummariesKeptFrom(nowUtc);
        var built = store.BuiltPeriods();
        int count = 0;
        for (var day = oldest; day < today && clock.Elapsed < budget; day = day.AddDays(1))
        {
            cancel.ThrowIfCancellationRequested();
            string period = CollectorStore.DayPeriod(day);
            // Each source's change count is read before the day is: a fold meanwhile makes its period stale.
            var due = Sources.Where(s => !built.Contains(CollectorStore.PeriodKey(s, period)) && store.HasDay(s, day))
                .Select(s => (Source: s, Changes: store.PeriodChanges(s, period))).ToArray();
            if (due.Length == 0)
            {
                continue;
            }
            var uses = Guard(failed, () => UsesSections.Unbuilt(store, day, keptFrom, due.Select(d => d.Source), cancel));
            if (uses == null)
            {
                continue;
            }
            Dropped(uses.Values.Sum(u => u.Dropped), usesDropped);
            foreach (var (source, changes) in due)
            {
                if (Guard(failed, () => store.StorePeriod(source, period, Unite(store.RollupDocuments(source, day, null), []), uses[source].Sections, changes)))
                {
                    built.Add(CollectorStore.PeriodKey(source, period));
                    count++;
                }
            }
        }
        foreach (var source in Sources)
        {
            for (var first = new DateOnly(oldest.Year, oldest.Month, 1); first < new DateOnly(today.Year, today.Month, 1) && clock.Elapsed < budget; first = first.AddMonths(1))
            {
                cancel.ThrowIfCancellationRequested();
                string period = CollectorStore.MonthPeriod(CollectorStore.MonthOf(first));
                var days = Enumerable.Range(0, DateTime.DaysInMonth(first.Year, first.Month)).Select(first.AddDays).Where(d => store.HasDay(source, d)).ToArray();
                if (built.Contains(CollectorStore.PeriodKey(source, period)) || days.Length == 0)
                {
                    continue;
                }
                // A month is united from its days' periods only, read after its change count: a day a fold changed
                // since is not built, and the month waits for it (its summaries may be gone: only its period has them).
                long changes = store.PeriodChanges(source, period);
                if (!days.All(d => store.PeriodBuilt(source, CollectorStore.DayPeriod(d))))
                {
                    continue;
                }
                if (Guard(failed, () =>
                {
                    var rollups = Unite([], days.SelectMany(d => store.PeriodBundle(source, CollectorStore.DayPeriod(d))));
                    var uses = new PeriodUses();
                    foreach (var day in days)
                    {
                        cancel.ThrowIfCancellationRequested();
                        foreach (var (section, chunk) in store.AllPeriodUses(source, CollectorStore.DayPeriod(day)))
                        {
                            UsesSections.AddTo(uses, section, chunk);
                        }
                    }
                    Dropped(uses.Dropped, usesDropped);
                    return store.StorePeriod(source, period, rollups, UsesSections.Pack(uses), changes);
                }))
                {
                    count++;
                }
            }
        }
        return count;
    }

    // A period that cannot be built (a damaged bundle, a store error) is told and left: the others are built, and it
    // is tried again at the next round.
    private static T? Guard<T>(Action<Exception>? failed, Func<T> build)
    {
        try
        {
            return build();
        }
        catch (Exception e) when (e is LiteException or InvalidDataException or IOException)
        {
            failed?.Invoke(e);
            return default;
        }
    }

    private static void Dropped(long dropped, Action<long>? usesDropped)
    {
        if (dropped > 0)
        {
            usesDropped?.Invoke(dropped);
        }
    }

    // User numbers as stored (aliases can change after the period is built) and no domain filter.
    private static List<(string, byte[])> Unite(IEnumerable<BsonDocument> days, IEnumerable<byte[]> bundles)
    {
        var libraries = new Dictionary<string, LibraryAggregate>(StringComparer.Ordinal);
        foreach (var rollup in days)
        {
            LibraryAggregate.AddTo(libraries, rollup, null, u => u);
        }
        foreach (var bundle in bundles)
        {
            PackedRollups.AddTo(bundle, libraries, null, u => u);
        }
        return libraries.Values.OrderBy(a => a.Library, StringComparer.Ordinal).Select(a =>
        {
            var packed = new ArrayBufferWriter<byte>();
            PackedRollups.Write(packed, a);
            return (a.Library, packed.WrittenSpan.ToArray());
        }).ToList();
    }
}
