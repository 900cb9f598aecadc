using System.Text;
using Polaris.Agent.Serve.Receive;
using Polaris.Testing;
using Polaris.Wire;
using static Polaris.Agent.Tests.HookFile;

namespace Polaris.Agent.Tests;

public class HookFramesTests
{
    private static readonly RecordFileName Name = new(Pid: 4242, StartedUnixNs: 1_764_000_000_000_000_000);
    private const long Thread = 140_000_000_000_007;

    private static readonly byte[] Header = Frame([
        "py", "3.11.2", "impl", "cpython", "exe", "/usr/bin/python3", "prefix", "/usr", "base", "/usr", "start", "1764000000000000000",
        "ppid", "0", "cwd", "/home/asmith/run", "script", "/home/asmith/run/train.py",
        "v", "PBS_JOBID", "1234501.polaris-pbs-01", "v", "PMI_RANK", "3",
        .. Group("m", [("sys", "built-in", ""), ("encodings", "/usr/lib/python3.11/encodings/__init__.py", "")]),
    ]);

    [Fact]
    public void A_library_mapped_again_further_down_the_maps_is_one_shared_object()
    {
        var maps = Maps(
            "7f1c2b000000-7f1c2b100000 r-xp 00010000 fe:00 1444000                    /usr/lib/x86_64-linux-gnu/libopenblas.so.0",
            "7f1c2b100000-7f1c2b200000 r--p 00110000 fe:00 1444000                    /usr/lib/x86_64-linux-gnu/libopenblas.so.0",
            "7f1c2c000000-7f1c2c001000 r--p 00000000 fe:00 1444001                    /usr/lib/x86_64-linux-gnu/libgfortran.so.5",
            "7f1c2d000000-7f1c2d021000 rw-p 00000000 00:00 0 ",
            "7f1c2e000000-7f1c2e001000 rw-p 00200000 fe:00 1444000                    /usr/lib/x86_64-linux-gnu/libopenblas.so.0");
        var content = File(Header, Frame(["maps", maps.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), "exit", "exit"], maps));

        var r = HookFrames.Parse(content, Name, 1001, "asmith", "node01").Record;

        Assert.Equal(["/usr/lib/x86_64-linux-gnu/libopenblas.so.0", "/usr/lib/x86_64-linux-gnu/libgfortran.so.5"], r.SharedObjects.Select(s => s.Path));
    }

    [Fact]
    public void Frames_become_one_record_with_modules_in_the_order_their_imports_began()
    {
        // numpy.core and then _multiarray_umath run inside numpy's import; times in seconds of the monotonic clock.
        var numpyTimes = Times([0.000002, 0.0000025, 0.000001], [0.0000025, 0.0000026, 0.00001], [Thread]);
        var numpy = Group("mt", [
            ("numpy.core", "/usr/lib/python3/dist-packages/numpy/core/__init__.py", "1.24.2"),
            ("numpy.core._multiarray_umath", "/usr/lib/python3/dist-packages/numpy/core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so", ""),
            ("numpy", "/usr/lib/python3/dist-packages/numpy/__init__.py", "1.24.2"),
        ], numpyTimes);
        var maps = Maps(
            "00400000-00420000 r--p 00000000 fe:00 1311238                            /usr/bin/python3.11",
            "7f1c2a000000-7f1c2a021000 rw-p 00000000 00:00 0 ",
            "7f1c2b000000-7f1c2b100000 r-xp 00010000 fe:00 1444000                    /usr/lib/x86_64-linux-gnu/libopenblas.so.0",
            "7f1c2b100000-7f1c2b200000 r--p 00110000 fe:00 1444000                    /usr/lib/x86_64-linux-gnu/libopenblas.so.0",
            "7f1c2c000000-7f1c2c001000 r--p 00000000 00:2c 184467440737095516151      /lus/eagle/projects/p/lib/libcudart.so.12 (deleted)",
            "7ffd1c000000-7ffd1c021000 rw-p 00000000 00:00 0                          [stack]");
        var jsonTimes = Times([0.02], [0.02001], [Thread]);
        var json = Group("mt", [("json", "/usr/lib/python3.11/json/__init__.py", "2.0.9")], jsonTimes);
        var content = File(
            Header,
            Frame(numpy, numpyTimes),
            Frame([.. json, "maps", maps.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), "end", "1764000000250000000", "exit", "exit"],
                jsonTimes, maps));

        var parsed = HookFrames.Parse(content, Name, uid: 1001, user: "asmith", host: "node01");

        Assert.True(parsed.Complete);
        Assert.Equal(0, parsed.DroppedFrames);
        var r = parsed.Record;
        Assert.Equal(["sys", "encodings", "numpy", "numpy.core", "numpy.core._multiarray_umath", "json"], r.Modules.Select(m => m.Name));
        Assert.Equal([ModuleKind.Builtin, ModuleKind.Source, ModuleKind.Source, ModuleKind.Source, ModuleKind.Extension, ModuleKind.Source], r.Modules.Select(m => m.Kind));
        Assert.Equal("", r.Modules[0].File);
        Assert.Equal("1.24.2", r.Modules[2].Version);
        Assert.Equal(new ImportTime(9000, 8400), r.TimeOf(2));
        Assert.Equal(new ImportTime(500, 500), r.TimeOf(3));
        Assert.False(r.TimeOf(0).IsTimed, "sys was loaded before the hook");
        Assert.Equal("", r.Modules[3].Version); // a submodule's __version__ is not its own package's
        Assert.Equal("node01:4242.1764000000000000000", r.RecordId);
        Assert.Equal((1001u, "asmith", 4242), (r.Uid, r.User, r.Pid));
        Assert.Equal(9000 + 10_000, r.ImportNs);
        Assert.Equal(250_000_000, r.RuntimeNs);
        Assert.Equal(ExitReasons.Exit, r.ExitReason);
        Assert.False(r.Partial);
        Assert.Equal(["/usr/lib/x86_64-linux-gnu/libopenblas.so.0", "/lus/eagle/projects/p/lib/libcudart.so.12 (deleted)"], r.SharedObjects.Select(s => s.Path));
        Assert.Equal(("cpython", "/usr", "/usr"), (r.Environment.Implementation, r.Environment.Prefix, r.Environment.BasePrefix));
        Assert.Equal("/home/asmith/run", r.WorkingDirectory);
        Assert.Equal("/home/asmith/run/train.py", r.Job.Script);
        Assert.Equal("3", r.Job.Variables["PMI_RANK"]);
    }

    [Fact]
    public void Without_an_exit_frame_the_record_is_partial_and_a_frame_cut_short_is_ignored()
    {
        var times = Times([1.0], [2.0], [1]);
        var cut = Frame(Group("mt", [("scipy", "/usr/lib/python3/dist-packages/scipy/__init__.py", "1.10.1")], times), times);
        var content = File(Header, cut[..^7]);

        var parsed = HookFrames.Parse(content, Name, 1001, "asmith", "node01");

        Assert.False(parsed.Complete);
        Assert.True(parsed.Record.Partial);
        Assert.Equal(ExitReasons.Lost, parsed.Record.ExitReason);
        Assert.DoesNotContain(parsed.Record.Modules, m => m.Name == "scipy");
        Assert.Equal(2, parsed.Record.Modules.Count);
    }

    [Fact]
    public void A_frame_that_does_not_parse_is_dropped_and_counted_and_the_rest_of_the_record_stands()
    {
        // A program that puts a NUL into a module's name shifts that frame's fields.
        var times = Times([1.0, 1.5], [2.0, 1.6], [1]);
        var shifted = Frame(["mt", "2", times.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), "a", "b\0c", "/p/a.py", "/p/b.py", "", ""], times);
        var exit = Frame(["end", "1764000000250000000", "exit", "exit"]);

        var parsed = HookFrames.Parse(File(Header, shifted, exit), Name, 1001, "asmith", "node01");

        Assert.Equal(1, parsed.DroppedFrames);
        Assert.True(parsed.Complete);
        Assert.True(parsed.Record.Partial, "a record missing a frame says so");
        Assert.Equal(["sys", "encodings"], parsed.Record.Modules.Select(m => m.Name));
        Assert.Equal(ExitReasons.Exit, parsed.Record.ExitReason);
    }

    [Fact]
    public void Imports_on_different_threads_do_not_nest_even_when_their_times_overlap()
    {
        // a (thread 1) from 1 to 1001 ns, b (thread 2) from 100 to 900, a_child (thread 1) from 200 to 300.
        var times = Times([1e-9, 100e-9, 200e-9], [1001e-9, 900e-9, 300e-9], [1, 2, 1]);
        var content = File(Frame(Group("mt", [("a", "/p/a.py", ""), ("b", "/p/b.py", ""), ("a_child", "/p/a_child.py", "")], times), times));

        var r = HookFrames.Parse(content, Name, 1, "u", "n").Record;

        Assert.Equal(["a", "b", "a_child"], r.Modules.Select(m => m.Name));
        Assert.Equal(900, r.TimeOf(0).SelfNs);
        Assert.Equal(800, r.TimeOf(1).SelfNs);
        Assert.Equal(1800, r.ImportNs);
        Assert.Equal(1000, r.TimeOf(0).CumulativeNs);
    }

    [Fact]
    public void Identity_comes_from_the_file_owner_not_from_what_the_content_claims()
    {
        var parsed = HookFrames.Parse(File(Frame(["uid", "0", "user", "root", "pid", "1", .. Group("m", [("os", "/usr/lib/python3.11/os.py", "")])])), Name, 1001, "asmith", "n");

        Assert.Equal((1001u, "asmith", 4242), (parsed.Record.Uid, parsed.Record.User, parsed.Record.Pid));
    }

    [Fact]
    public void The_hook_s_own_module_is_not_reported_as_an_import()
    {
        var parsed = HookFrames.Parse(File(Frame(Group("m", [("_polaris_hook", "/x/_polaris_hook.py", ""), ("os", "/usr/lib/python3.11/os.py", "")]))), Name, 1, "u", "n");

        Assert.Equal(["os"], parsed.Record.Modules.Select(m => m.Name));
    }

    [Fact]
    public void Times_marshalled_by_cpython_itself_are_read_exactly()
    {
        // Thread ids are wider than 32 bits: marshal writes them as 15-bit digits.
        var script = "import marshal, sys; sys.stdout.buffer.write(marshal.dumps(([12.5, 12.75], [13.0, 12.875], [140000000000007, 3]), 2))";
        var blob = CommandResult.Run(RepoPaths.Python, ["-c", script]).Stdout;
        var content = File(Frame(Group("mt", [("a", "/p/a.py", ""), ("b", "/p/b.py", "")], blob), blob));

        var r = HookFrames.Parse(content, Name, 1, "u", "n").Record;

        Assert.Equal([("a", 500_000_000L), ("b", 125_000_000L)], r.Modules.Select((m, i) => (m.Name, r.TimeOf(i).CumulativeNs)));
        Assert.Equal(625_000_000L, r.ImportNs); // b ran on another thread: not nested inside a
    }

    [Theory]
    [InlineData("")]
    [InlineData("GET / HTTP/1.1\r\n\r\n")]
    public void Bytes_that_are_not_frames_are_refused(string text)
    {
        Assert.Throws<FormatException>(() => HookFrames.Parse(Encoding.UTF8.GetBytes(text), Name, 1, "u", "n"));
    }

    public static TheoryData<string, string[], byte[]> MalformedFrames => new()
    {
        { "an older version", ["m", "1", "x", "y", ""], [] },
        { "a group cut short", ["m", "2", "numpy", "/n.py"], [] },
        { "a module without a name", ["m", "1", "", "/x.py", ""], [] },
        { "a count that is not a number", ["m", "many", "x", "/x.py", ""], [] },
        { "times longer than the frame", ["mt", "1", "999", "x", "/x.py", ""], [] },
        { "times for other modules", ["mt", "1", Times([1, 2], [2, 3], [1]).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), "x", "/x.py", ""], Times([1, 2], [2, 3], [1]) },
        { "times that are not marshal", ["mt", "1", "3", "x", "/x.py", ""], "abc"u8.ToArray() },
        { "a key without its value", ["py"], [] },
    };

    [Theory]
    [MemberData(nameof(MalformedFrames))]
    public void Malformed_frames_are_refused(string what, string[] fields, byte[] blob)
    {
        var frame = what == "an older version" ? Frame("polaris2", fields) : Frame(fields, blob);

        Assert.Throws<FormatException>(() => HookFrames.Parse(frame, Name, 1, "u", "n"));
    }

    [Theory]
    [InlineData("4242.1764000000000000000.rec", 4242, 1_764_000_000_000_000_000)]
    [InlineData("1.2.rec", 1, 2)]
    public void Record_file_names_carry_pid_and_start(string name, int pid, long start)
    {
        Assert.Equal(new RecordFileName(pid, start), RecordFileName.Parse(name));
    }

    [Theory]
    [InlineData("4242.rec")]
    [InlineData("../etc/passwd")]
    [InlineData("-1.2.rec")]
    [InlineData("a.b.rec")]
    public void Other_names_are_not_record_files(string name)
    {
        Assert.Null(RecordFileName.Parse(name));
    }
}
