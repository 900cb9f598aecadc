using System.Globalization;
using Polaris.Agent.Serve.Receive;
using Polaris.Wire;
using static Polaris.Agent.Tests.HookFile;

namespace Polaris.Agent.Tests;

/// <summary>The hook's <c>pre</c> says how many of the modules its first frame lists were loaded at start-up (before
/// it, or while <c>site</c> read the .pth files after its own): the record marks those, and only those.</summary>
public class HookFramesStartupTests
{
    private static readonly RecordFileName Name = new(Pid: 4242, StartedUnixNs: 1_764_000_000_000_000_000);

    // Loaded before the hook: site and the modules .pth files read before the hook's own imported.
    private static readonly (string, string, string)[] BeforeHook =
    [
        ("sys", "built-in", ""),
        ("site", "/usr/lib/python3.11/site.py", ""),
        ("_polaris_hook", "/venv/lib/python3.11/site-packages/_polaris_hook.py", ""),
    ];

    // Imported while site was still initialising (a .pth read after the hook's), then by the program.
    private static readonly (string, string, string)[] Timed =
    [
        ("_distutils_hack", "/usr/lib/python3/dist-packages/_distutils_hack/__init__.py", ""),
        ("pthpkg", "/venv/lib/python3.11/site-packages/pthpkg/__init__.py", "1.0"),
        ("json", "/usr/lib/python3.11/json/__init__.py", "2.0.9"),
        ("mypkg", "/home/asmith/run/mypkg/__init__.py", ""),
    ];

    private static readonly byte[] TimedTimes = Times([0.001, 0.002, 0.010, 0.020], [0.0015, 0.0025, 0.011, 0.021], [7]);

    private static string Text(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The hook's first frame: header, <c>pre</c>, the untimed group and the timed one.</summary>
    private static byte[] FirstFrame(string pre, params string[] more) => Frame(
        ["py", "3.11.2", "ppid", "0", "pre", pre, .. Group("m", BeforeHook), .. Group("mt", Timed, TimedTimes), .. more], TimedTimes);

    private static readonly byte[] ExitFrame = Frame([.. Group("m", [("six.moves", "", "")]), "end", "1764000000250000000", "exit", "exit"]);

    private static ProcessRecord Parse(byte[] content, ReaderCaches? caches = null) =>
        HookFrames.Parse(content, Name, 1001, "asmith", "node01", caches ?? new ReaderCaches()).Record;

    private static string[] StartupModules(ProcessRecord r) =>
        r.Modules.Where((_, i) => r.TimeOf(i).Startup).Select(m => m.Name).ToArray();

    [Fact]
    public void The_modules_loaded_before_the_hook_and_those_imported_while_site_initialised_are_start_up_ones()
    {
        // 3 untimed, then 2 of the timed: the hook's own entry counts as listed, and is left out of the record.
        var r = Parse(File(FirstFrame("5"), ExitFrame));

        Assert.Equal(["sys", "site", "six.moves", "_distutils_hack", "pthpkg", "json", "mypkg"], r.Modules.Select(m => m.Name));
        // Not a prefix of the module order: the exit frame's untimed module (never imported) goes ahead of the timed.
        Assert.Equal(["sys", "site", "_distutils_hack", "pthpkg"], StartupModules(r));
        Assert.True(r.TimeOf(3).IsTimed, "a start-up import is timed all the same");
        Assert.True(r.Clipped.IsEmpty);
    }

    [Fact]
    public void When_the_first_frame_is_also_the_exit_frame_its_last_untimed_group_is_no_start_up_one()
    {
        // A program that imported nothing after start-up: one frame, whose untimed group of never-imported modules
        // comes after the timed imports.
        var r = Parse(File(FirstFrame("4", [.. Group("m", [("six.moves", "", "")]), "end", "1764000000250000000", "exit", "exit"])));

        Assert.Equal(["sys", "site", "_distutils_hack"], StartupModules(r));
        Assert.Contains(r.Modules, m => m.Name == "six.moves");
    }

    [Fact]
    public void Without_pre_no_module_is_a_start_up_one()
    {
        // An older hook, or a forked child, whose imports are its own.
        var r = Parse(File(Frame(["py", "3.11.2", .. Group("m", BeforeHook), .. Group("mt", Timed, TimedTimes)], TimedTimes), ExitFrame));

        Assert.Empty(StartupModules(r));
        Assert.Equal(7, r.Modules.Count);
    }

    [Theory]
    [InlineData("-3", 0)]
    [InlineData("9223372036854775807", 6)]
    [InlineData("8", 6)]
    public void A_pre_out_of_range_is_brought_within_the_modules_listed_and_counted(string pre, int startup)
    {
        var r = Parse(File(FirstFrame(pre), ExitFrame));

        Assert.Equal(startup, StartupModules(r).Length);
        Assert.Equal(1, r.Clipped.Numbers);
        Assert.DoesNotContain("six.moves", StartupModules(r));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    public void An_empty_or_zero_pre_marks_nothing(string pre)
    {
        var r = Parse(File(FirstFrame(pre), ExitFrame));

        Assert.Empty(StartupModules(r));
        Assert.True(r.Clipped.IsEmpty);
    }

    [Fact]
    public void A_pre_that_is_no_number_drops_its_frame_like_any_other_bad_number()
    {
        var parsed = HookFrames.Parse(File(FirstFrame("many"), ExitFrame), Name, 1001, "asmith", "node01");

        Assert.Equal(1, parsed.DroppedFrames);
        Assert.Empty(StartupModules(parsed.Record));
    }

    [Fact]
    public void Pre_counts_only_the_modules_listed_after_it_in_its_own_frame()
    {
        // A forged order: the untimed group before pre, and a later frame's groups, are not covered by it.
        var frame = Frame(["py", "3.11.2", .. Group("m", BeforeHook), "pre", "2", .. Group("mt", Timed, TimedTimes)], TimedTimes);
        var later = Times([0.05], [0.06], [7]);

        var r = Parse(File(frame, Frame(Group("mt", [("numpy", "/n/numpy/__init__.py", "")], later), later), ExitFrame));

        Assert.Equal(["_distutils_hack", "pthpkg"], StartupModules(r));
    }

    [Fact]
    public void Records_that_share_a_module_list_keep_start_up_flags_of_their_own()
    {
        // Same columns and order: the second record shares the first's module list, not its flags.
        var caches = new ReaderCaches();

        var first = Parse(File(FirstFrame("5"), ExitFrame), caches);
        var second = Parse(File(FirstFrame("3"), ExitFrame), caches);

        Assert.Same(first.Modules, second.Modules);
        Assert.Equal(["sys", "site", "_distutils_hack", "pthpkg"], StartupModules(first));
        Assert.Equal(["sys", "site"], StartupModules(second));
    }

    [Fact]
    public void Groups_past_the_record_s_bound_of_modules_still_spend_pre()
    {
        // The first group alone fills the record: the timed group is walked over, and pre reaches no kept module past it.
        int bound = SummaryBounds.MaxModulesPerRecord;
        var many = Enumerable.Range(0, bound).Select(i => ($"m{i}", $"/x/m{i}.py", "")).ToArray();
        var frame = Frame(["pre", Text(bound + 2), .. Group("m", many), .. Group("mt", Timed, TimedTimes)], TimedTimes);

        var r = Parse(File(frame, ExitFrame));

        Assert.Equal(bound, r.Modules.Count);
        Assert.Equal(bound, StartupModules(r).Length);
        Assert.Equal(0, r.Clipped.Numbers);
    }
}
