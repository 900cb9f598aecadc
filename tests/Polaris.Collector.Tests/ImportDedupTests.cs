using LiteDB;
using Polaris.Collector.Import;
using Polaris.Collector.Storage;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests;

/// <summary>An imported record counts once for as long as the roll-ups it counts in are kept: importing the same
/// folder again after <c>retentionDays</c> adds nothing; the dedup state is a small id per record, pruned with the
/// roll-ups; stores from before keep what their live state knew; and no agent's batch can take an import's place.</summary>
public class ImportDedupTests
{
    private static readonly DateTime Now = DateTime.UtcNow;
    private static readonly ImportedSummaries Summaries = new(new CollectorOptions().OriginRules());

    private static DateOnly Day(DateTime utc) => DateOnly.FromDateTime(utc);

    private static ImportedProcess Pms(string user, int pid, DateTime start, params string[] modules) => new()
    {
        Source = RecordSource.PyModuleSnooper, Identity = $"vm/{pid}/stamp", User = user, Host = "vm", Start = start,
        Executable = "/usr/bin/python3", JobId = $"{pid}.pbs",
        Modules = modules.Select(m => new ModuleImport(m, $"/home/{user}/{m}/__init__.py")).ToArray(),
    };

    private static void Import(CollectorStore store, DateTime at, params ImportedProcess[] records)
    {
        foreach (var batch in Summaries.Batches(records, RecordSource.PyModuleSnooper))
        {
            store.Ingest(batch, at, imported: true);
        }
        store.Fold();
    }

    private static long Processes(CollectorStore store, DateTime day, string library) =>
        store.Rollups(Day(day), Day(day), [library], RecordSource.PyModuleSnooper).SingleOrDefault()?.Processes ?? 0;

    private static int Count(string folder, string collection)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(folder, CollectorStore.FileName), Connection = ConnectionType.Direct });
        return db.GetCollection(collection).Count();
    }

    [Fact]
    public void The_same_records_imported_again_after_retention_days_count_once()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        var record = Pms("bob", 7, Now.AddDays(-10), "numpy");
        Import(opened.Store, Now, record);
        var later = Now.AddDays(91);

        opened.Store.Prune(later, retentionDays: 90, rollupRetentionDays: 3650);
        Import(opened.Store, later, record);

        Assert.Equal(1L, Processes(opened.Store, record.Start.UtcDateTime, "numpy"));
    }

    [Fact]
    public void An_import_keeps_one_small_id_per_record_no_live_state_and_the_ids_go_with_the_roll_ups()
    {
        using var dir = new TempDirectory();
        var old = Now.AddDays(-100);
        using (var opened = new TestStore(dir.Path))
        {
            Import(opened.Store, Now, Pms("bob", 7, old, "numpy"), Pms("ann", 8, Now.AddDays(-2), "scipy"));
            var kept = opened.Store.Prune(Now.AddDays(1), retentionDays: 90, rollupRetentionDays: 102);
            Assert.Equal(0, kept["importedids"]);
            var pruned = opened.Store.Prune(Now.AddDays(3), retentionDays: 90, rollupRetentionDays: 102);
            Assert.Equal(1, pruned["importedids"]);
        }
        Assert.Equal((1, 0), (Count(dir.Path, "importedids"), Count(dir.Path, "live")));
    }

    [Fact]
    public void A_store_from_before_keeps_the_dedup_its_live_state_held_for_imports()
    {
        using var dir = new TempDirectory();
        var record = Pms("bob", 7, Now.AddDays(-10), "numpy");
        using (var opened = new TestStore(dir.Path))
        {
            Import(opened.Store, Now, record);
        }
        // As a store written before the imported ids: the importer's node and the summary id in the agents' live state.
        using (var db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(dir.Path, CollectorStore.FileName), Connection = ConnectionType.Direct }))
        {
            db.GetCollection("importedids").DeleteAll();
            db.GetCollection("live").Insert(new BsonDocument
            {
                ["_id"] = $"{ImportedSummaries.NodeOf(RecordSource.PyModuleSnooper)}/{Summaries.Of(record).SummaryId}", ["ver"] = 1L, ["recv"] = Now,
            });
        }
        using (var reopened = new TestStore(dir.Path))
        {
            Import(reopened.Store, Now.AddHours(1), record);
            Assert.Equal(1L, Processes(reopened.Store, record.Start.UtcDateTime, "numpy"));
        }
        Assert.Equal((1, 0), (Count(dir.Path, "importedids"), Count(dir.Path, "live")));
    }

    [Fact]
    public void An_agents_batch_from_an_importers_node_with_an_imported_summarys_id_and_batch_key_stops_nothing()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        var victim = Pms("alice", 42, Now.AddDays(-2), "numpy");
        var importBatch = Summaries.Batches([victim], RecordSource.PyModuleSnooper).Single();
        var forged = SummaryFixtures.Job("x", "1", 1001, 1, Now.AddMinutes(-1), ["numpy"]) with { SummaryId = Summaries.Of(victim).SummaryId, Version = 1000, Final = true };

        var posted = opened.Store.Ingest(SummaryFixtures.BatchOf(importBatch.Key, ImportedSummaries.NodeOf(RecordSource.PyModuleSnooper), forged), Now);
        var imported = opened.Store.Ingest(importBatch, Now, imported: true);
        opened.Store.Fold();

        Assert.Equal((1, false, 1), (posted.Summaries, imported.Duplicate, imported.Summaries));
        Assert.Equal(1L, Processes(opened.Store, victim.Start.UtcDateTime, "numpy"));
    }
}
