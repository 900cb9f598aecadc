using System.Buffers.Binary;
using System.Text;
using Polaris.Agent.Serve.Receive;
using Polaris.Wire;

namespace Polaris.Agent.Tests;

public class HookFramesTests
{
    private static readonly RecordFileName Name = new(Pid: 4242, StartedUnixNs: 1_764_000_000_000_000_000);

    private static byte[] Frame(params string[] fields)
    {
        var payload = Encoding.UTF8.GetBytes(string.Join('\0', ["polaris2", .. fields]));
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        payload.CopyTo(frame, 4);
        return frame;
    }

    private static byte[] File(params byte[][] frames) => frames.SelectMany(f => f).ToArray();

    private static readonly byte[] Header = Frame(
        "py", "3.11.2", "impl", "cpython", "exe", "/usr/bin/python3", "prefix", "/usr", "base", "/usr", "start", "1764000000000000000",
        "ppid", "0", "cwd", "/home/asmith/run", "script", "/home/asmith/run/train.py",
        "v", "PBS_JOBID", "1234501.polaris-pbs-01", "v", "PMI_RANK", "3",
        "m", "sys", "built-in", "", "m", "encodings", "/usr/lib/python3.11/encodings/__init__.py", "",
        "t", "[0, 0, 0, 0, 0, 0]");

    [Fact]
    public void Frames_become_one_record_with_modules_in_the_order_their_imports_began()
    {
        var content = File(
            Header,
            // start and end offsets, thread: numpy.core and then _multiarray_umath run inside numpy's import.
            Frame("m", "numpy.core", "/usr/lib/python3/dist-packages/numpy/core/__init__.py", "",
                  "m", "numpy.core._multiarray_umath", "/usr/lib/python3/dist-packages/numpy/core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so", "",
                  "m", "numpy", "/usr/lib/python3/dist-packages/numpy/__init__.py", "1.24.2",
                  "t", "[2000, 2500, 140000000000007, 2500, 2600, 140000000000007, 1000, 10000, 140000000000007]"),
            Frame("s", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0", "m", "json", "/usr/lib/python3.11/json/__init__.py", "",
                  "t", "[20000, 20010, 140000000000007]", "end", "1764000000250000000", "exit", "exit"));

        var parsed = HookFrames.Parse(content, Name, uid: 1001, user: "asmith", host: "node01");

        Assert.True(parsed.Complete);
        var r = parsed.Record;
        Assert.Equal(["sys", "encodings", "numpy", "numpy.core", "numpy.core._multiarray_umath", "json"], r.Modules.Select(m => m.Name));
        Assert.Equal([ModuleKind.Builtin, ModuleKind.Source, ModuleKind.Source, ModuleKind.Source, ModuleKind.Extension, ModuleKind.Source], r.Modules.Select(m => m.Kind));
        Assert.Equal("", r.Modules[0].File);
        var numpy = r.Modules[2];
        Assert.Equal((9000L, 8400L, "1.24.2"), (numpy.CumulativeNs, numpy.SelfNs, numpy.Version));
        Assert.Equal((500L, 500L), (r.Modules[3].CumulativeNs, r.Modules[3].SelfNs));
        Assert.Equal("node01:4242.1764000000000000000", r.RecordId);
        Assert.Equal((1001u, "asmith", 4242), (r.Uid, r.User, r.Pid));
        Assert.Equal(9010, r.ImportNs);
        Assert.Equal(250_000_000, r.RuntimeNs);
        Assert.Equal(ExitReasons.Exit, r.ExitReason);
        Assert.False(r.Partial);
        Assert.Equal("/usr/lib/x86_64-linux-gnu/libopenblas.so.0", Assert.Single(r.SharedObjects).Path);
        Assert.Equal(("cpython", "/usr", "/usr"), (r.Environment.Implementation, r.Environment.Prefix, r.Environment.BasePrefix));
        Assert.Equal("/home/asmith/run", r.WorkingDirectory);
        Assert.Equal("/home/asmith/run/train.py", r.Job.Script);
        Assert.Equal("3", r.Job.Variables["PMI_RANK"]);
    }

    [Fact]
    public void Without_an_exit_frame_the_record_is_partial_and_a_frame_cut_short_is_ignored()
    {
        var cut = Frame("m", "scipy", "/usr/lib/python3/dist-packages/scipy/__init__.py", "", "t", "[1, 2, 1]");
        var content = File(Header, cut[..^7]);

        var parsed = HookFrames.Parse(content, Name, 1001, "asmith", "node01");

        Assert.False(parsed.Complete);
        Assert.True(parsed.Record.Partial);
        Assert.Equal(ExitReasons.Lost, parsed.Record.ExitReason);
        Assert.DoesNotContain(parsed.Record.Modules, m => m.Name == "scipy");
        Assert.Equal(2, parsed.Record.Modules.Count);
    }

    [Fact]
    public void Imports_on_different_threads_do_not_nest_even_when_their_times_overlap()
    {
        var content = File(Frame(
            "m", "a", "/p/a.py", "", "m", "b", "/p/b.py", "", "m", "a_child", "/p/a_child.py", "",
            "t", "[1, 1001, 1, 100, 900, 2, 200, 300, 1]"));

        var r = HookFrames.Parse(content, Name, 1, "u", "n").Record;

        Assert.Equal(["a", "b", "a_child"], r.Modules.Select(m => m.Name));
        Assert.Equal(900, r.Modules[0].SelfNs);
        Assert.Equal(800, r.Modules[1].SelfNs);
        Assert.Equal(1800, r.ImportNs);
        Assert.Equal(1000, r.Modules[0].CumulativeNs);
    }

    [Fact]
    public void Identity_comes_from_the_file_owner_not_from_what_the_content_claims()
    {
        var parsed = HookFrames.Parse(File(Frame("uid", "0", "user", "root", "pid", "1", "m", "os", "/usr/lib/python3.11/os.py", "")), Name, 1001, "asmith", "n");

        Assert.Equal((1001u, "asmith", 4242), (parsed.Record.Uid, parsed.Record.User, parsed.Record.Pid));
    }

    [Fact]
    public void The_hook_s_own_module_is_not_reported_as_an_import()
    {
        var parsed = HookFrames.Parse(File(Frame("m", "_polaris_hook", "/x/_polaris_hook.py", "", "m", "os", "/usr/lib/python3.11/os.py", "")), Name, 1, "u", "n");

        Assert.Equal(["os"], parsed.Record.Modules.Select(m => m.Name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("GET / HTTP/1.1\r\n\r\n")]
    public void Bytes_that_are_not_frames_are_refused(string text)
    {
        Assert.Throws<FormatException>(() => HookFrames.Parse(Encoding.UTF8.GetBytes(text), Name, 1, "u", "n"));
    }

    [Theory]
    [InlineData("polaris1", "m", "x", "y")]
    [InlineData("m", "numpy")]
    [InlineData("m", "", "/x.py", "")]
    [InlineData("m", "x", "/x.py", "", "t", "[1, soon, 2]")]
    [InlineData("m", "x", "/x.py", "", "t", "[1, 2]")]
    [InlineData("m", "x", "/x.py", "", "t", "1, 2, 3")]
    [InlineData("py")]
    public void Malformed_fields_are_refused(params string[] fields)
    {
        var frame = fields[0] == "polaris1"
            ? Encoding.UTF8.GetBytes(string.Join('\0', fields)) is var p ? [.. BitConverter.GetBytes(p.Length), .. p] : []
            : Frame(fields);

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
