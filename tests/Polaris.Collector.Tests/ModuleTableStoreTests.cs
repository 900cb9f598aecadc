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
