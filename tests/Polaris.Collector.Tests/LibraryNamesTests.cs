using Polaris.Collector.Aggregation;
using Polaris.Wire;

namespace Polaris.Collector.Tests;

public class LibraryNamesTests
{
    [Fact]
    public void Libraries_are_distinct_top_level_packages_outside_the_standard_library()
    {
        string[] names =
        [
            "sys", "os", "os.path", "__main__", "sitecustomize", "numpy", "numpy.core", "numpy.linalg._umath_linalg",
            "json", "json.decoder", "_distutils_hack", "cython_runtime", "_cython_0_29_32", "mpi4py.MPI", "_yaml", "yaml",
            "_sysconfigdata__x86_64-linux-gnu",
        ];

        var summary = Assert.Single(SummaryBuilder.Summarize(
            [new ProcessRecord { Host = "n", Uid = 1, User = "u", Pid = 1, Modules = names.Select(n => new ModuleImport(n, "")).ToArray() }]));

        var libraries = LibraryNames.Of(summary);

        Assert.Equal(["numpy", "_distutils_hack", "mpi4py", "_yaml", "yaml"], libraries.Select(l => l.Library));
        Assert.All(libraries, l => Assert.Equal(1, l.Processes));
    }

    [Fact]
    public void A_package_from_many_files_in_one_process_counts_that_process_once()
    {
        var record = new ProcessRecord
        {
            Host = "n", Uid = 1, User = "u", Pid = 1,
            Modules = Enumerable.Range(0, 5000).Select(i => new ModuleImport(i % 2 == 0 ? "evil" : "evil.sub", $"/tmp/{i}/evil.py")).ToArray(),
        };
        var summary = Assert.Single(SummaryBuilder.Summarize([record, record with { Pid = 2, Modules = [new ModuleImport("numpy", "")] }]));

        var libraries = LibraryNames.Of(summary);

        Assert.Equal([("evil", 1), ("numpy", 1)], libraries);
    }

    [Fact]
    public void A_duplicated_module_entry_counts_its_processes_once()
    {
        var members = new[] { new SummaryMember("n:1.1", 1), new SummaryMember("n:2.1", 2), new SummaryMember("n:3.1", 3) };
        var summary = new ProcessSummary
        {
            Host = "n", Uid = 1, Members = members,
            Modules =
            [
                new ModuleUse("torch", "/a/torch/__init__.py") { Processes = 2, Members = [0, 1] },
                new ModuleUse("torch", "/a/torch/__init__.py") { Processes = 2, Members = [0, 1] },
                new ModuleUse("torch.nn", "/a/torch/nn/__init__.py") { Processes = 1, Members = [1] },
                new ModuleUse("scipy", "/a/scipy/__init__.py") { Processes = 3 },
                new ModuleUse("scipy", "/b/scipy/__init__.py") { Processes = 3 },
            ],
        };

        var libraries = LibraryNames.Of(summary);

        Assert.Equal([("torch", 2), ("scipy", 3)], libraries);
    }
}
