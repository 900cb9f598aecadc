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
}
