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
    public static int Build(CollectorStore store, DateTime nowUtc, int rollupRetentionDays, TimeSpan budget, CancellationToken cancel = default,
        Action<long>? usesDropped = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var clock = Stopwatch.StartNew();
        var today = DateOnly.FromDateTime(nowUtc);
        var oldest = today.AddDays(-rollupRetentionDays);
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
            var uses = UsesSections.OfDay(store, day, cancel);
            Dropped(uses.Values.Sum(u => u.Dropped), usesDropped);
            foreach (var (source, changes) in due)
            {
                var rollups = Unite(store.RollupDocuments(source, day, null), []);
                if (store.StorePeriod(source, period, rollups, UsesSections.Pack(uses.GetValueOrDefault(source) ?? new PeriodUses()), changes))
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
                var days = Enumerable.Range(0, DateTime.DaysInMonth(first.Year, first.Month)).Select(first.AddDays).ToArray();
                if (built.Contains(CollectorStore.PeriodKey(source, period)) || !days.Any(d => store.HasDay(source, d)))
                {
                    continue;
                }
                long changes = store.PeriodChanges(source, period);
                // From the days' bundles where built (a few documents a day), else from the days as stored.
                bool Bundled(DateOnly d) => built.Contains(CollectorStore.PeriodKey(source, CollectorStore.DayPeriod(d)));
                var rollups = Unite(
                    days.Where(d => !Bundled(d)).SelectMany(d => store.RollupDocuments(source, d, null)),
                    days.Where(Bundled).SelectMany(d => store.PeriodBundle(source, CollectorStore.DayPeriod(d))));
                var uses = new PeriodUses();
                foreach (var day in days)
                {
                    cancel.ThrowIfCancellationRequested();
                    // A day not built is read from its summaries, packed as its bundle would be.
                    var chunks = Bundled(day) ? store.AllPeriodUses(source, CollectorStore.DayPeriod(day))
                        : store.HasDay(source, day) && UsesSections.OfDay(store, day, cancel).GetValueOrDefault(source) is { } dayUses
                            ? UsesSections.Pack(dayUses).SelectMany(s => s.Chunks.Select(c => (s.Section, c))).ToList()
                            : [];
                    foreach (var (section, chunk) in chunks)
                    {
                        UsesSections.AddTo(uses, section, chunk);
                    }
                }
                Dropped(uses.Dropped, usesDropped);
                if (store.StorePeriod(source, period, rollups, UsesSections.Pack(uses), changes))
                {
                    count++;
                }
            }
        }
        return count;
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
