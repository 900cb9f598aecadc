using System.Globalization;
using Polaris.Agent.Serve.Receive;
using Polaris.Wire;
using static Polaris.Agent.Tests.HookFile;

namespace Polaris.Agent.Tests;

/// <summary>Record files made to hurt the daemon: each is refused with a <see cref="FormatException"/> or gives a
/// record within <see cref="SummaryBounds"/>, what was cut counted on it.</summary>
public class HostileRecordTests
{
    private static readonly RecordFileName Name = new(Pid: 4242, StartedUnixNs: 1_764_000_000_000_000_000);

    private static readonly byte[] Header = Frame(["py", "3.11.2", "exe", "/usr/bin/python3", .. Group("m", [("sys", "built-in", ""), ("os", "/usr/lib/python3.11/os.py", "")])]);

    private static string Text(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static HookRecord Parse(params byte[][] frames) => HookFrames.Parse(File(frames), Name, 1001, "asmith", "node01");

    [Theory]
    [InlineData("1431655766")] // 3 × count wraps a 32-bit int to 2: it threw IndexOutOfRangeException, and crashed the daemon
    [InlineData("2147483647")]
    [InlineData("715827883")]
    public void A_module_count_the_frame_cannot_hold_drops_the_frame(string count)
    {
        var forged = Frame(["m", count, "numpy", "/n.py"]);

        var parsed = Parse(Header, forged);

        Assert.Equal(1, parsed.DroppedFrames);
        Assert.Equal(["sys", "os"], parsed.Record.Modules.Select(m => m.Name));
    }

    [Fact]
    public void A_timed_group_of_no_modules_is_no_import()
    {
        // An empty column of times made the parser slice past an empty span (ArgumentOutOfRangeException).
        var times = Times([], [], []);
        var parsed = Parse(Header, Frame(["mt", "0", Text(times.Length)], times));

        Assert.Equal(0, parsed.DroppedFrames);
        Assert.Equal(2, parsed.Record.Modules.Count);
    }

    [Fact]
    public void A_thread_id_with_the_most_negative_digit_count_drops_the_frame()
    {
        // Math.Abs(int.MinValue) threw OverflowException.
        var times = new List<byte>(Times([1.0], [2.0], [1]));
        times.RemoveRange(times.Count - 5, 5);
        times.Add((byte)'l');
        times.AddRange(BitConverter.GetBytes(int.MinValue));
        byte[] blob = [.. times];

        var parsed = Parse(Header, Frame(Group("mt", [("json", "/usr/lib/python3.11/json/__init__.py", "")], blob), blob));

        Assert.Equal(1, parsed.DroppedFrames);
    }

    [Fact]
    public void Zeros_after_a_frame_cost_one_dropped_frame_not_one_per_four_bytes()
    {
        var parsed = HookFrames.Parse([.. Header, .. new byte[8 * 1024 * 1024]], Name, 1001, "asmith", "node01");

        Assert.Equal(1, parsed.DroppedFrames);
        Assert.Equal(2, parsed.Record.Modules.Count);
    }

    [Fact]
    public void Past_the_failures_a_record_may_have_the_rest_of_the_file_is_left_unread()
    {
        // Frames that carry the magic and then fail cost an exception each: their number is bounded.
        var bad = Frame(["m", "x"]);
        var frames = Enumerable.Repeat(bad, 100_000).Prepend(Header).Append(Frame(["exit", "exit"])).ToArray();

        var parsed = Parse(frames);

        Assert.Equal(1, parsed.DroppedFrames);
        Assert.False(parsed.Complete, "the exit frame lay past the failures");
    }

    [Fact]
    public void A_name_or_file_past_its_bound_leaves_its_module_out_and_a_long_version_is_blanked()
    {
        var longName = new string('n', SummaryBounds.MaxNameBytes + 1);
        var longFile = "/" + new string('f', SummaryBounds.MaxPathBytes);
        var longVersion = new string('1', SummaryBounds.MaxVersionBytes + 1);

        var r = Parse(Header, Frame(Group("m", [(longName, "/x.py", ""), ("x", longFile, ""), ("scipy", "/s/__init__.py", longVersion)]))).Record;

        Assert.Equal(["sys", "os", "scipy"], r.Modules.Select(m => m.Name));
        Assert.Equal("", r.Modules[2].Version);
        Assert.Equal(new Clips(2, 0, 1, 0), r.Clipped);
    }

    [Fact]
    public void A_name_listed_again_from_another_file_is_left_out_and_counted_and_from_the_same_file_is_one_module()
    {
        // One record listing a package from many files counted it once per file at the collector.
        var r = Parse(Header, Frame(Group("m", [("numpy", "/a/numpy/__init__.py", ""), ("numpy", "/b/numpy/__init__.py", ""), ("os", "/usr/lib/python3.11/os.py", "")]))).Record;

        Assert.Equal(["sys", "os", "numpy"], r.Modules.Select(m => m.Name));
        Assert.Equal("/a/numpy/__init__.py", r.Modules[2].File);
        Assert.Equal(new Clips(1, 0, 0, 0), r.Clipped);
    }

    [Fact]
    public void More_modules_than_a_record_may_hold_are_cut_at_the_bound_and_counted()
    {
        int count = SummaryBounds.MaxModulesPerRecord + 10;
        var modules = Enumerable.Range(0, count).Select(i => ($"m{i}", "", "")).ToArray();

        var r = Parse(Header, Frame(Group("m", modules))).Record;

        Assert.Equal(SummaryBounds.MaxModulesPerRecord, r.Modules.Count);
        Assert.Equal(2 + 10, r.Clipped.Modules);
    }

    [Fact]
    public void Forged_clock_readings_are_cut_to_the_longest_import_and_sums_do_not_overflow()
    {
        // Two readings within range can lie 1.8e19 ns apart: past a long.
        var times = Times([-8.9e9, 1.0], [8.9e9, 8.9e9], [1]);
        var r = Parse(Header, Frame(Group("mt", [("a", "/p/a.py", ""), ("b", "/p/b.py", "")], times), times)).Record;

        Assert.Equal(SummaryBounds.MaxImportNs, r.TimeOf(2).CumulativeNs);
        Assert.InRange(r.TimeOf(3).CumulativeNs, 0, SummaryBounds.MaxImportNs);
        Assert.InRange(r.ImportNs, 0, SummaryBounds.MaxRuntimeNs);
        Assert.True(r.Clipped.Numbers >= 1);
    }

    [Fact]
    public void Start_and_end_times_outside_the_bounds_are_clamped_and_counted()
    {
        var farFuture = new RecordFileName(4242, long.MaxValue);
        var content = File(Header, Frame(["end", Text(long.MaxValue), "exit", "exit"]));

        var r = HookFrames.Parse(content, farFuture, 1001, "asmith", "node01").Record;

        Assert.Equal(SummaryBounds.MaxTimeMs, r.StartedAtMs);
        Assert.Equal(SummaryBounds.MaxTimeMs, r.EndedAtMs);
        Assert.Equal(0, r.RuntimeNs);
        Assert.Equal(2, r.Clipped.Numbers);
    }

    [Fact]
    public void A_run_time_past_its_bound_is_clipped()
    {
        var r = Parse(Header, Frame(["end", Text(Name.StartedUnixNs + SummaryBounds.MaxRuntimeNs + 1), "exit", "exit"])).Record;

        Assert.Equal(SummaryBounds.MaxRuntimeNs, r.RuntimeNs);
        Assert.True(r.Clipped.Numbers >= 1);
    }

    [Fact]
    public void Shared_objects_past_the_bound_or_with_a_path_past_its_bound_are_left_out()
    {
        var lines = Enumerable.Range(0, SummaryBounds.MaxSharedObjectsPerRecord + 5)
            .Select(i => $"7f1c2b000000-7f1c2b100000 r-xp 00010000 fe:00 1444000                    /usr/lib/lib{i}.so")
            .Append("7f1c2b000000-7f1c2b100000 r-xp 00010000 fe:00 1444000                    /" + new string('p', SummaryBounds.MaxPathBytes) + ".so")
            .ToArray();
        var maps = Maps(lines);

        var r = Parse(Header, Frame(["maps", Text(maps.Length)], maps)).Record;

        Assert.Equal(SummaryBounds.MaxSharedObjectsPerRecord, r.SharedObjects.Count);
        Assert.Equal(6, r.Clipped.SharedObjects);
    }

    [Fact]
    public void Texts_past_their_bounds_are_blanked_and_variables_past_their_count_left_out()
    {
        var fields = new List<string>
        {
            "py", new string('3', SummaryBounds.MaxTextBytes + 1), "cwd", "/" + new string('d', SummaryBounds.MaxPathBytes),
            "v", "LOADEDMODULES", new string('m', SummaryBounds.MaxVariableBytes + 1),
        };
        for (int i = 0; i < SummaryBounds.MaxVariables + 3; i++)
        {
            fields.AddRange(["v", $"VAR{i}", "x"]);
        }

        var r = Parse(Header, Frame([.. fields])).Record;

        Assert.Equal("", r.PythonVersion);
        Assert.Equal("", r.WorkingDirectory);
        Assert.Equal(SummaryBounds.MaxVariables, r.Job.Variables.Count);
        Assert.Equal("", r.Job.Variables["LOADEDMODULES"]);
        // py and cwd blanked, LOADEDMODULES blanked, 4 variables past the 64 left out.
        Assert.Equal(2 + 1 + 4, r.Clipped.Texts);
    }

    [Fact]
    public void Groups_past_the_record_bound_of_modules_are_counted_and_not_kept()
    {
        // One module per group: a frame can hold a million groups; past the bound none is kept, each is counted.
        var fields = Enumerable.Range(0, SummaryBounds.MaxModulesPerRecord + 100).SelectMany(i => Group("m", [($"m{i}", "", "")])).ToArray();

        var r = Parse(Frame(fields)).Record;

        Assert.Equal(SummaryBounds.MaxModulesPerRecord, r.Modules.Count);
        Assert.Equal(100, r.Clipped.Modules);
    }

    [Fact]
    public void Many_maps_in_one_record_are_merged_path_by_path_within_the_bound()
    {
        var frames = new List<byte[]> { Header };
        for (int i = 0; i < SummaryBounds.MaxSharedObjectsPerRecord + 10; i++)
        {
            var maps = Maps($"7f1c2b000000-7f1c2b100000 r-xp 00010000 fe:00 1444000                    /usr/lib/lib{i % (SummaryBounds.MaxSharedObjectsPerRecord + 5)}.so");
            frames.Add(Frame(["maps", Text(maps.Length)], maps));
        }

        var r = Parse([.. frames]).Record;

        Assert.Equal(SummaryBounds.MaxSharedObjectsPerRecord, r.SharedObjects.Count);
        Assert.Equal(SummaryBounds.MaxSharedObjectsPerRecord, r.SharedObjects.Select(o => o.Path).Distinct().Count());
        Assert.Equal(5, r.Clipped.SharedObjects); // the five paths past the bound; the first five again are no new objects
    }

    [Fact]
    public void A_variable_whose_name_no_environment_variable_has_is_left_out_and_counted()
    {
        // The collector refuses such a name (it would be a field name of the stored document): the daemon never sends one.
        var r = Parse(Header, Frame(["v", "PMI_RANK", "3", "v", "a.b", "x", "v", "0X", "y", "v", "_OK", "z", "v", "", "w"])).Record;

        Assert.Equal(["PMI_RANK", "_OK"], r.Job.Variables.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, r.Clipped.Texts);
    }

    [Fact]
    public void A_frame_that_repeats_a_key_or_sends_many_variables_holds_the_last_value_and_the_bound()
    {
        var fields = Enumerable.Range(0, 100_000).SelectMany(i => new[] { "py", $"3.{i}", "v", $"V{i % 1000}", "x" }).ToArray();

        var r = Parse(Frame(fields)).Record;

        Assert.Equal("3.99999", r.PythonVersion);
        Assert.Equal(SummaryBounds.MaxVariables, r.Job.Variables.Count);
    }

    [Fact]
    public void A_field_whose_bytes_are_within_the_bound_but_not_utf8_is_measured_as_it_will_be_sent()
    {
        // Each stray byte decodes to U+FFFD, three bytes: 100 of them are 300 bytes once the string is encoded again.
        var bytes = Enumerable.Repeat((byte)0xff, 100).ToArray();
        var frame = Frame(Group("m", [("scipy", "/s/__init__.py", "x")]));
        int at = Array.LastIndexOf(frame, (byte)'x');
        byte[] forged = [.. frame[..at], .. bytes, .. frame[(at + 1)..]];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(forged, forged.Length - 4);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(forged.AsSpan(4), BitConverter.ToInt32(frame, 4) + 99);

        var r = Parse(Header, forged).Record;

        Assert.Equal("", r.Modules.Single(m => m.Name == "scipy").Version);
        Assert.Equal(1, r.Clipped.Texts);
    }
}
