using Polaris.Collector.Storage;
using Polaris.Testing;

namespace Polaris.Collector.Tests;

/// <summary><c>/v1/libraries</c> answers the sums of the roll-ups kept (docs/collector.md, "API") from running totals,
/// not by reading every roll-up of up to ten years on each request.</summary>
public class LibraryTotalsTests
{
    private static readonly DateTime Now = DateTime.UtcNow;
    private static readonly DateTime Today = Now.Date.AddHours(1);

    [Fact]
    public void The_totals_are_the_sums_of_the_roll_ups_and_a_request_reads_none_of_them()
    {
        using var dir = new TempDirectory();
        StoreTotals summed;
        using (var opened = new TestStore(dir.Path))
        {
            Ingest(opened.Store, days: 20);
            opened.Store.Fold();
            summed = Summed(opened.Store);
            Assert.True(summed.Libraries.Count > 4);
            Same(summed, opened.Store.Totals());

            // With every roll-up gone behind its back, the store answers the same: it read none.
            opened.Store.WithWriteLock(db => db.GetCollection("rollups").DeleteAll());
            Same(summed, opened.Store.Totals());
        }

        // Nor after a restart: the totals are stored.
        using var reopened = new TestStore(dir.Path);
        Same(summed, reopened.Store.Totals());
    }

    [Fact]
    public void Roll_ups_pruned_take_what_they_counted_from_the_totals()
    {
        using var dir = new TempDirectory();
        StoreTotals before, summed;
        using (var opened = new TestStore(dir.Path))
        {
            Ingest(opened.Store, days: 20);
            opened.Store.Fold();
            before = opened.Store.Totals();

            var pruned = opened.Store.Prune(Now, retentionDays: 90, rollupRetentionDays: 10);

            Assert.True(pruned["rollups"] > 0);
            summed = Summed(opened.Store);
            Assert.True(summed.Processes < before.Processes);
            Assert.Contains("lib3", before.Libraries.Keys);
            Same(summed, opened.Store.Totals());
        }
        using var reopened = new TestStore(dir.Path);
        Same(summed, reopened.Store.Totals());
    }

    [Fact]
    public void A_store_from_before_the_totals_has_them_built_once_from_its_roll_ups()
    {
        using var dir = new TempDirectory();
        StoreTotals summed;
        using (var opened = new TestStore(dir.Path))
        {
            Ingest(opened.Store, days: 5);
            opened.Store.Fold();
            summed = Summed(opened.Store);
            // As a store written before the running totals: roll-ups, and no totals.
            opened.Store.WithWriteLock(db => db.GetCollection("totals").DeleteAll() + (db.GetCollection("meta").Delete("totals") ? 1 : 0));
        }

        using (var reopened = new TestStore(dir.Path))
        {
            Same(summed, reopened.Store.Totals());
            reopened.Store.WithWriteLock(db => db.GetCollection("rollups").DeleteAll());
        }
        // Built once: the next start reads them, not the roll-ups (gone now).
        using var again = new TestStore(dir.Path);
        Same(summed, again.Store.Totals());
    }

    /// <summary>Summaries started on each of the last <paramref name="days"/> days, of several users, libraries and
    /// process counts; <c>os</c> is no library.</summary>
    private static void Ingest(CollectorStore store, int days)
    {
        for (int d = 0; d < days; d++)
        {
            for (int s = 0; s < 3; s++)
            {
                var summary = SummaryFixtures.Job($"n{s}", $"{1000 + d}", (uint)(1001 + s), 1 + ((d + s) % 3), Today.AddDays(-d), ["numpy", $"lib{(d + s) % 4}", $"day{d}", "os"]);
                store.Ingest(SummaryFixtures.BatchOf($"b{d}-{s}", $"n{s}", summary), Now);
            }
        }
    }

    /// <summary>The answer as it was computed before the running totals: every roll-up kept, summed.</summary>
    private static StoreTotals Summed(CollectorStore store)
    {
        long processes = 0;
        var libraries = new Dictionary<string, long>(StringComparer.Ordinal);
        var today = DateOnly.FromDateTime(Now);
        foreach (var rollup in store.Rollups(today.AddDays(-40), today.AddDays(1), null))
        {
            if (rollup.Library.Length == 0)
            {
                processes += rollup.Processes;
            }
            else if (rollup.Processes > 0)
            {
                libraries[rollup.Library] = libraries.GetValueOrDefault(rollup.Library) + rollup.Processes;
            }
        }
        return new StoreTotals(processes, libraries);
    }

    private static void Same(StoreTotals expected, StoreTotals actual)
    {
        Assert.Equal(expected.Processes, actual.Processes);
        Assert.Equal(expected.Libraries.OrderBy(l => l.Key, StringComparer.Ordinal), actual.Libraries.OrderBy(l => l.Key, StringComparer.Ordinal));
    }
}
