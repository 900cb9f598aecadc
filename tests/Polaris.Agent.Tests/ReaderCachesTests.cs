using System.Globalization;
using Polaris.Agent.Serve.Receive;
using static Polaris.Agent.Tests.HookFile;

namespace Polaris.Agent.Tests;

/// <summary>Records read one after another on one thread share what they repeat (module lists, shared objects,
/// import order) and still differ wherever they differ.</summary>
public class ReaderCachesTests
{
    private const long Thread = 140_000_000_000_007;

    private static readonly (string, string, string)[] Modules =
    [
        ("numpy", "/usr/lib/python3/dist-packages/numpy/__init__.py", "1.24.2"),
        ("numpy.core", "/usr/lib/python3/dist-packages/numpy/core/__init__.py", ""),
        ("json", "/usr/lib/python3.11/json/__init__.py", "2.0.9"),
    ];

    private static readonly string[] BaseMaps =
    [
        "7f1c2b000000-7f1c2b100000 r-xp 00010000 fe:00 1444000                    /usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "7f1c2b100000-7f1c2b200000 r--p 00110000 fe:00 1444000                    /usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "7f1c2d000000-7f1c2d021000 rw-p 00000000 00:00 0 ",
        "7f1c2c000000-7f1c2c001000 r--p 00000000 fe:00 1444001                    /usr/lib/x86_64-linux-gnu/libgfortran.so.5",
    ];

    private static byte[] Record(double[] starts, double[] ends, string[] maps, long endNs)
    {
        var times = Times(starts, ends, [Thread]);
        var mapped = Maps(maps);
        return File(
            Frame(["py", "3.11.2", "exe", "/usr/bin/python3", .. Group("mt", Modules, times)], times),
            Frame(["maps", mapped.Length.ToString(CultureInfo.InvariantCulture), "end", endNs.ToString(CultureInfo.InvariantCulture), "exit", "exit"], mapped));
    }

    private static Polaris.Wire.ProcessRecord Read(byte[] content, ReaderCaches caches, int pid) =>
        HookFrames.Parse(content, new RecordFileName(pid, 1_764_000_000_000_000_000), 1001, "asmith", "node01", caches).Record;

    [Fact]
    public void A_record_like_the_last_shares_its_lists_and_one_that_differs_gets_its_own()
    {
        var caches = new ReaderCaches();
        double[] starts = [1.0, 1.1, 2.0], ends = [1.5, 1.2, 2.1];
        var first = Read(Record(starts, ends, BaseMaps, 1_764_000_000_500_000_000), caches, 1);
        var same = Read(Record(starts, ends, BaseMaps, 1_764_000_000_600_000_000), caches, 2);
        var moreLibraries = Read(Record(starts, ends, [.. BaseMaps,
            "7f1c2e000000-7f1c2e001000 r--p 00000000 fe:00 1444002                    /opt/cuda/lib64/libcudart.so.12"], 1_764_000_000_700_000_000), caches, 3);
        var fewerLibraries = Read(Record(starts, ends, BaseMaps[..2], 1_764_000_000_800_000_000), caches, 4);
        // json's import began first this time.
        var otherOrder = Read(Record([1.0, 1.1, 0.5], [1.5, 1.2, 0.6], BaseMaps, 1_764_000_000_900_000_000), caches, 5);

        Assert.Same(first.Modules, same.Modules);
        Assert.Same(first.SharedObjects, same.SharedObjects);
        Assert.Equal(["/usr/lib/x86_64-linux-gnu/libopenblas.so.0", "/usr/lib/x86_64-linux-gnu/libgfortran.so.5", "/opt/cuda/lib64/libcudart.so.12"],
            moreLibraries.SharedObjects.Select(s => s.Path));
        Assert.Equal(["/usr/lib/x86_64-linux-gnu/libopenblas.so.0"], fewerLibraries.SharedObjects.Select(s => s.Path));
        Assert.Equal(["numpy", "numpy.core", "json"], first.Modules.Select(m => m.Name));
        Assert.Equal(["json", "numpy", "numpy.core"], otherOrder.Modules.Select(m => m.Name));
        // Each record keeps its own times, in its own order: numpy 0.5 s less numpy.core's 0.1 s.
        Assert.Equal(new Polaris.Wire.ImportTime(500_000_000, 400_000_000), first.TimeOf(0));
        Assert.Equal(new Polaris.Wire.ImportTime(100_000_000, 100_000_000), otherOrder.TimeOf(0));
        Assert.Equal(new Polaris.Wire.ImportTime(500_000_000, 400_000_000), otherOrder.TimeOf(1));
        Assert.Equal(600_000_000, same.RuntimeNs);
    }

    [Fact]
    public void Numbers_that_differ_in_every_record_do_not_fill_the_string_pool()
    {
        var caches = new ReaderCaches();
        double[] starts = [1.0, 1.1, 2.0], ends = [1.5, 1.2, 2.1];
        Read(Record(starts, ends, BaseMaps, 1_764_000_000_000_000_001), caches, 1);
        int strings = caches.Strings.Count;

        for (int i = 2; i < 200; i++)
        {
            Read(Record(starts, ends, BaseMaps, 1_764_000_000_000_000_000 + i), caches, i);
        }

        Assert.Equal(strings, caches.Strings.Count);
    }
}
