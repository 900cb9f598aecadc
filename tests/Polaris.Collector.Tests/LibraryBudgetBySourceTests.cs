using Polaris.Collector.Ingest;
using Polaris.Collector.Metrics;
using Polaris.Collector.Storage;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests;

/// <summary>The daily library budget is each source's own: an import full of made-up names cannot fold the agents'
/// libraries of the day into <c>other</c>, nor the reverse, and each source's budget comes back from its own
/// roll-ups after a restart.</summary>
public class LibraryBudgetBySourceTests
{
    private const int MaxPerDay = 2;
    private static readonly DateTime Now = DateTime.UtcNow;
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now);

    private static CollectorStore Open(string folder)
    {
        var options = new CollectorOptions();
        var store = new CollectorStore(folder, new CollectorMetrics(options, new IngestBudget(options.MaxBytesInFlight)), maxLibrariesPerDay: MaxPerDay);
        store.Recover(Now, TimeSpan.FromSeconds(options.HomeJobQuietSeconds));
        return store;
    }

    private static ProcessSummary Pms(string user, string job, params string[] modules) =>
        SummaryFixtures.Job("vm", job, uid: 0, ranks: 1, Now.AddMinutes(-30), modules) with { Source = RecordSource.PyModuleSnooper, User = user, Uid = 0 };

    private static ProcessSummary Agent(string job, params string[] modules) => SummaryFixtures.Job("n1", job, 1001, 1, Now.AddMinutes(-5), modules);

    private static string[] Libraries(CollectorStore store, RecordSource source) =>
        [.. store.Rollups(Today, Today, null, source).Select(r => r.Library).Where(l => l.Length > 0).Order(StringComparer.Ordinal)];

    [Fact]
    public void An_import_that_fills_its_budget_leaves_the_agents_libraries_of_the_day_their_own()
    {
        using var dir = new TempDirectory();
        using var store = Open(dir.Path);

        store.Ingest(SummaryFixtures.BatchOf("i1", "importer", Pms("forged", "1", "junk1", "junk2", "junk3")), Now, imported: true);
        store.Ingest(SummaryFixtures.BatchOf("a1", "n1", Agent("5", "numpy")), Now);
        store.Fold();

        Assert.Equal(["numpy"], Libraries(store, RecordSource.Agent));
        Assert.Equal(["junk1", "junk2", "other"], Libraries(store, RecordSource.PyModuleSnooper));
    }

    [Fact]
    public void Agents_that_fill_their_budget_leave_an_imports_libraries_of_the_day_their_own()
    {
        using var dir = new TempDirectory();
        using var store = Open(dir.Path);

        store.Ingest(SummaryFixtures.BatchOf("a1", "n1", Agent("5", "made1", "made2", "made3")), Now);
        store.Ingest(SummaryFixtures.BatchOf("i1", "importer", Pms("alice", "1", "numpy")), Now, imported: true);
        store.Fold();

        Assert.Equal(["made1", "made2", "other"], Libraries(store, RecordSource.Agent));
        Assert.Equal(["numpy"], Libraries(store, RecordSource.PyModuleSnooper));
    }

    [Fact]
    public void After_a_restart_each_source_reloads_its_budget_from_its_own_roll_ups()
    {
        using var dir = new TempDirectory();
        using (var store = Open(dir.Path))
        {
            store.Ingest(SummaryFixtures.BatchOf("i1", "importer", Pms("alice", "1", "junk1", "junk2")), Now, imported: true);
            store.Fold();
        }
        using var reopened = Open(dir.Path);

        reopened.Ingest(SummaryFixtures.BatchOf("i2", "importer", Pms("alice", "2", "junk3")), Now, imported: true);
        reopened.Ingest(SummaryFixtures.BatchOf("a1", "n1", Agent("5", "numpy", "scipy")), Now);
        reopened.Fold();

        Assert.Equal(["junk1", "junk2", "other"], Libraries(reopened, RecordSource.PyModuleSnooper));
        Assert.Equal(["numpy", "scipy"], Libraries(reopened, RecordSource.Agent));
    }
}
