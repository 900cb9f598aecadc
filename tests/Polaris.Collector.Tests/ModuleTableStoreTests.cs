using Polaris.Testing;

namespace Polaris.Collector.Tests;

public class ModuleTableStoreTests
{
    [Fact]
    public void The_ranks_of_one_job_on_many_nodes_store_one_module_table()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        var modules = Enumerable.Range(0, 600).Select(i => $"pkg{i % 60}.mod{i}").ToArray();
        var start = DateTime.UtcNow;

        for (int node = 0; node < 50; node++)
        {
            var name = $"x{node:D4}";
            opened.Store.Ingest(SummaryFixtures.BatchOf($"b{node}", name, SummaryFixtures.Job(name, "77", 1001, 4, start, modules, nodes: 50)), DateTime.UtcNow);
        }
        // One rank elsewhere imported one more module: a table of its own.
        opened.Store.Ingest(SummaryFixtures.BatchOf("odd", "x9999", SummaryFixtures.Job("x9999", "77", 1001, 4, start, [.. modules, "extra"], nodes: 50)), DateTime.UtcNow);

        Assert.Equal(51, opened.Store.SummaryCount());
        Assert.Equal(2, opened.Store.TableCount());
        Assert.Equal(204, MetricsText.Value(opened.Text(), "polaris_python_processes_total"));
        Assert.Equal(204, MetricsText.Value(opened.Text(), "polaris_library_processes_total{library=\"pkg7\"}"));
    }
}

/// <summary>The bound a table's document is measured by before it is stored holds for any text: ASCII, accents,
/// CJK and characters outside the BMP, long and short, many and few.</summary>
public class ModuleTableBoundTests
{
    [Theory]
    [InlineData("numpy", 1)]
    [InlineData("numpy", 5000)]
    [InlineData("é", 3000)]
    [InlineData("数据", 2000)]
    [InlineData("\U0001F40D", 1000)]
    [InlineData("", 100)]
    public void The_bound_is_never_below_the_documents_bytes(string part, int modules)
    {
        var names = Enumerable.Range(0, modules).Select(i => string.Concat(Enumerable.Repeat(part, 1 + (i % 40))) + i).ToArray();
        var record = new Polaris.Wire.ProcessRecord
        {
            Host = "n1", Uid = 1001, User = "u", Pid = 1, RecordId = "n1:1",
            Modules = [.. names.Select(n => new Polaris.Wire.ModuleImport(n, "/p/" + n + ".py") { Version = part })],
            SharedObjects = [.. names.Take(50).Select(n => new Polaris.Wire.SharedObject("/lib/" + n + ".so"))],
        };
        var table = Storage.ModuleTable.Of(Polaris.Wire.SummaryBuilder.Summarize([record]).Single());

        long bytes = LiteDB.BsonSerializer.Serialize(table.ToDocument(new string('f', 40), 20261201)).Length;

        Assert.InRange(table.DocumentBytesAtMost, bytes, Math.Max(4 * bytes, 4096));
    }
}
