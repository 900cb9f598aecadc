using LiteDB;
using Polaris.Collector.Storage;
using Polaris.Wire;

namespace Polaris.Collector.Reports;

/// <summary>Builds the month roll-ups of months that are over (<see cref="CollectorStore.StoreMonth"/>): each library's
/// days united into one stored roll-up, as a report would unite them.</summary>
public static class MonthlyRollups
{
    private static readonly RecordSource[] Sources = [RecordSource.Agent, RecordSource.Xalt, RecordSource.PyModuleSnooper];

    /// <summary>Builds every month before <paramref name="nowUtc"/>'s, within <paramref name="rollupRetentionDays"/>,
    /// that has daily roll-ups and is not built; at most <paramref name="maxMonths"/> of them.</summary>
    /// <returns>Months built.</returns>
    public static int Build(CollectorStore store, DateTime nowUtc, int rollupRetentionDays, int maxMonths, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var today = DateOnly.FromDateTime(nowUtc);
        var current = new DateOnly(today.Year, today.Month, 1);
        int built = 0;
        foreach (var source in Sources)
        {
            for (var first = new DateOnly(today.AddDays(-rollupRetentionDays).Year, today.AddDays(-rollupRetentionDays).Month, 1);
                 first < current && built < maxMonths; first = first.AddMonths(1))
            {
                cancel.ThrowIfCancellationRequested();
                int month = CollectorStore.MonthOf(first);
                if (store.MonthBuilt(source, month) || !store.HasDaysIn(source, month))
                {
                    continue;
                }
                long changes = store.MonthChanges(source, month);
                if (store.StoreMonth(source, month, Unite(store, source, first, month, cancel), changes))
                {
                    built++;
                }
            }
        }
        return built;
    }

    private static List<BsonDocument> Unite(CollectorStore store, RecordSource source, DateOnly first, int month, CancellationToken cancel)
    {
        var libraries = new Dictionary<string, LibraryAggregate>(StringComparer.Ordinal);
        for (var day = first; day.Month == first.Month; day = day.AddDays(1))
        {
            cancel.ThrowIfCancellationRequested();
            foreach (var rollup in store.RollupDocuments(source, day, null))
            {
                string library = rollup["lib"].AsString;
                if (!libraries.TryGetValue(library, out var aggregate))
                {
                    libraries[library] = aggregate = new LibraryAggregate(library);
                }
                aggregate.Add(rollup, null, u => u);
            }
        }
        string prefix = $"{CollectorStore.RollupCollection(source)}|{month}";
        return libraries.Values.Select(a => a.ToMonthDocument($"{prefix}|{a.Library}", month)).ToList();
    }
}
