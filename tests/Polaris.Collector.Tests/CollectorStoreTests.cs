using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests;

public class CollectorStoreTests
{
    internal static Batch BatchOf(string key, params string[][] processModules) => new()
    {
        Key = key,
        Node = "node01",
        CreatedAtMs = (TestClock.BaseMs + 000_000),
        Summaries = SummaryBuilder.Summarize(processModules.Select((modules, i) => new ProcessRecord
        {
            Host = "node01", Uid = 1001, User = "asmith", Pid = 100 + i,
            Modules = modules.Select(m => new ModuleImport(m, "/x/" + m)).ToArray(),
        })),
    };

    [Fact]
    public void A_batch_is_counted_once_however_often_it_arrives()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        var store = opened.Store;
        var batch = BatchOf("b1", ["numpy", "numpy.linalg", "os"], ["numpy", "scipy"]);

        var first = store.Ingest(batch, DateTime.UtcNow);
        var again = store.Ingest(batch, DateTime.UtcNow);

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(1, store.SummaryCount());
        var totals = store.Totals();
        Assert.Equal(2, totals.Processes);
        Assert.Equal(2, totals.Libraries["numpy"]);
        Assert.Equal(1, totals.Libraries["scipy"]);
        Assert.False(totals.Libraries.ContainsKey("os"));
    }

    [Fact]
    public void A_library_counts_the_processes_of_each_summary_that_imported_it()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        var store = opened.Store;
        var job = BatchOf("b1", ["numpy", "numpy.linalg"], ["numpy"], ["numpy", "scipy.sparse"], ["os"]);
        var other = BatchOf("b2", ["numpy.fft"]);

        var result = store.Ingest(job, DateTime.UtcNow);
        store.Ingest(other, DateTime.UtcNow);

        Assert.Equal((1, 4), (result.Summaries, result.Processes));
        var totals = store.Totals();
        Assert.Equal(5, totals.Processes);
        // Three processes of the job imported numpy, one of the other batch only a submodule (a package always
        // comes in with its submodules).
        Assert.Equal(4, totals.Libraries["numpy"]);
        Assert.Equal(1, totals.Libraries["scipy"]);
    }

    [Fact]
    public void Totals_survive_reopening_the_database()
    {
        using var dir = new TempDirectory();
        using (var opened = new TestStore(dir.Path))
        {
            var store = opened.Store;
            store.Ingest(BatchOf("b1", ["numpy"]), DateTime.UtcNow);
            store.Ingest(BatchOf("b2", ["numpy"], ["torch"]), DateTime.UtcNow);
        }

        using var opened2 = new TestStore(dir.Path);
        var reopened = opened2.Store;

        var totals = reopened.Totals();
        Assert.Equal(3, totals.Processes);
        Assert.Equal(2, totals.Libraries["numpy"]);
        Assert.True(reopened.Ingest(BatchOf("b1", ["numpy"]), DateTime.UtcNow).Duplicate);
    }

    [Fact]
    public void A_summary_whose_document_the_store_cannot_hold_is_refused_before_anything_is_written()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        var store = opened.Store;
        var batch = BatchOf("big", ["numpy"]);
        var small = batch.Summaries[0];
        // The store checks for itself what the reader let through: 16,000 module documents with 1,000-byte paths pass LiteDB's 16 MB.
        var big = small with
        {
            Modules = Enumerable.Range(0, 16_000).Select(i => new ModuleUse($"pkg{i}", new string('f', 1000)) { Processes = 1 }).ToArray(),
        };

        var result = store.Ingest(batch with { Summaries = [big, small] }, DateTime.UtcNow);

        Assert.Equal(0, Assert.Single(result.Refused).Index);
        Assert.Equal((1, 1), (result.Summaries, result.Processes));
        Assert.Equal(1, store.SummaryCount());
        Assert.Equal(1, store.Totals().Processes);
        Assert.False(store.Totals().Libraries.ContainsKey("pkg0"));
    }
}
