using System.Text;
using Polaris.Agent.Serve.Receive;

namespace Polaris.Agent.Tests;

/// <summary>The receive stage's caches: the same bytes give the same parse, other bytes never do.</summary>
public class ModuleColumnCacheTests
{
    private static byte[] Columns(IReadOnlyList<string> names) =>
        Encoding.UTF8.GetBytes(string.Join('\0', [.. names, .. names.Select(n => $"/usr/lib/python3/dist-packages/{n}.py"), .. names.Select(_ => "")]));

    private static string[] Names(int count, string prefix) => Enumerable.Range(0, count).Select(i => $"{prefix}.module_{i:D4}").ToArray();

    [Fact]
    public void The_same_columns_are_parsed_once()
    {
        var cache = new ModuleColumnCache(new Utf8StringPool());
        var names = Names(600, "pandas");

        var first = cache.Get(Columns(names), names.Length);
        var again = cache.Get(Columns(names), names.Length);

        Assert.Same(first, again);
        Assert.Equal(names, first.Modules.Select(m => m!.Name));
        Assert.Equal("/usr/lib/python3/dist-packages/pandas.module_0000.py", first.Modules[0]!.File);
    }

    [Fact]
    public void Columns_that_differ_in_one_byte_the_hash_does_not_sample_are_told_apart()
    {
        var cache = new ModuleColumnCache(new Utf8StringPool());
        var names = Names(600, "pandas");
        var bytes = Columns(names);
        var other = (byte[])bytes.Clone();
        // A byte between the sampled words: the hashes may match, the comparison of every byte may not.
        int middle = (bytes.Length / 17) + 20;
        other[middle] = bytes[middle] == (byte)'x' ? (byte)'y' : (byte)'x';

        var first = cache.Get(bytes, names.Length);
        var second = cache.Get(other, names.Length);

        Assert.NotSame(first, second);
        Assert.NotEqual(first.Modules.Select(m => m!.Name + m.File), second.Modules.Select(m => m!.Name + m.File));
    }

    [Fact]
    public void The_cache_forgets_past_its_bound_of_modules()
    {
        // Bytes alone would let millions of parsed modules in: a module may take four bytes of columns.
        var cache = new ModuleColumnCache(new Utf8StringPool(), maxModules: 1000);
        var first = Names(600, "a");
        var kept = cache.Get(Columns(first), first.Length);

        cache.Get(Columns(Names(600, "b")), 600);

        Assert.NotSame(kept, cache.Get(Columns(first), first.Length));
    }

    [Fact]
    public void A_group_cut_short_is_refused()
    {
        var cache = new ModuleColumnCache(new Utf8StringPool());
        var bytes = Columns(Names(10, "numpy"));

        Assert.Throws<FormatException>(() => cache.Get(bytes, 11));
    }

    [Fact]
    public void The_string_pool_hands_out_one_string_per_bytes_and_forgets_past_its_bound()
    {
        var pool = new Utf8StringPool(capacity: 4);

        var a = pool.Get("numpy"u8);
        Assert.Same(a, pool.Get("numpy"u8));
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal($"m{i}", pool.Get(Encoding.UTF8.GetBytes($"m{i}")));
        }

        Assert.InRange(pool.Count, 1, 4);
        Assert.Equal("numpy", pool.Get("numpy"u8));
        Assert.Equal("données", pool.Get(Encoding.UTF8.GetBytes("données")));
    }
}
