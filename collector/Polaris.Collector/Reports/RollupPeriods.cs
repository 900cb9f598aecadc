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
    public static int Build(CollectorStore store, DateTime nowUtc, int rollupRetentionDays, TimeSpan budget, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var clock = Stopwatch.StartNew();
        var today = DateOnly.FromDateTime(nowUtc);
        var oldest = today.AddDays(-rollupRetentionDays);
        var built = store.BuiltPeriods();
        int count = 0;
        foreach (var source in Sources)
        {
            for (var day = oldest; day < today && clock.Elapsed < budget; day = day.AddDays(1))
            {
                cancel.ThrowIfCancellationRequested();
                string period = CollectorStore.DayPeriod(day);
                if (!built.Contains(CollectorStore.PeriodKey(source, period)) && store.HasDay(source, day)
                    && Store(store, source, period, () => Unite(store.RollupDocuments(source, day, null), [])))
                {
                    built.Add(CollectorStore.PeriodKey(source, period));
                    count++;
                }
            }
            for (var first = new DateOnly(oldest.Year, oldest.Month, 1); first < new DateOnly(today.Year, today.Month, 1) && clock.Elapsed < budget; first = first.AddMonths(1))
            {
                cancel.ThrowIfCancellationRequested();
                string period = CollectorStore.MonthPeriod(CollectorStore.MonthOf(first));
                var days = Enumerable.Range(0, DateTime.DaysInMonth(first.Year, first.Month)).Select(first.AddDays).ToArray();
                if (built.Contains(CollectorStore.PeriodKey(source, period)) || !days.Any(d => store.HasDay(source, d)))
                {
                    continue;
                }
                // From the days' bundles where built (a few documents a day), else from the days as stored.
                bool Bundled(DateOnly d) => built.Contains(CollectorStore.PeriodKey(source, CollectorStore.DayPeriod(d)));
                if (Store(store, source, period, () => Unite(
                    days.Where(d => !Bundled(d)).SelectMany(d => store.RollupDocuments(source, d, null)),
                    days.Where(Bundled).SelectMany(d => store.PeriodBundle(source, CollectorStore.DayPeriod(d))))))
                {
                    count++;
                }
            }
        }
        return count;
    }

    private static bool Store(CollectorStore store, RecordSource source, string period, Func<List<(string, byte[])>> unite)
    {
        long changes = store.PeriodChanges(source, period);
        return store.StorePeriod(source, period, unite(), changes);
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
