using System.Buffers;
using MessagePack;

namespace Polaris.Wire.Tests;

/// <summary>A summary that is malformed or out of <see cref="SummaryBounds"/> is refused alone: the batch and its
/// other summaries stand (issue 10, items 3, 4 and 13).</summary>
public class SummaryRefusalTests
{
    public static TheoryData<string> Forgeries => new()
    {
        "long module name", "long host", "start 2^62", "end before 2000", "sum overflowed", "import of 8.9e9 s",
        "count past processes", "member listed twice", "too many members", "long job variable", "odd variable name",
        "negative runtime", "long member variable", "odd member variable name", "too many member variables", "too many job variables",
        "start-up past processes", "negative start-up",
    };

    private static ProcessSummary Forge(ProcessSummary s, string forgery) => forgery switch
    {
        "long module name" => s with { Modules = [.. s.Modules, new ModuleUse(new string('a', 2000), "/x") { Processes = 1 }] },
        "long host" => s with { Host = new string('h', 5 * 1024 * 1024) },
        "start 2^62" => s with { Members = [s.Members[0] with { StartedAtMs = 1L << 62 }] },
        "end before 2000" => s with { Members = [s.Members[0] with { EndedAtMs = 1000 }] },
        "sum overflowed" => s with { Modules = [s.Modules[0] with { SelfNs = TimeDistribution.From(1, long.MaxValue, 1, 1, [(0, 1)]) }] },
        "import of 8.9e9 s" => s with
        {
            Modules = [s.Modules[0] with { CumulativeNs = TimeDistribution.From(1, 8_900_000_000_000_000_000, 8_900_000_000_000_000_000, 8_900_000_000_000_000_000, [(62, 1)]) }],
        },
        "count past processes" => s with { Modules = [s.Modules[0] with { SelfNs = TimeDistribution.From(2, 2, 1, 1, [(0, 2)]) }] },
        "member listed twice" => s with
        {
            Members = [s.Members[0], s.Members[0] with { Pid = 2 }],
            Modules = [s.Modules[0] with { Processes = 2, Members = [0, 0] }],
        },
        "too many members" => s with { Members = Enumerable.Repeat(s.Members[0], SummaryBounds.MaxMembers + 1).ToArray() },
        "long job variable" => s with { Job = s.Job with { Variables = new Dictionary<string, string> { ["PYTHONPATH"] = new('p', 9000) } } },
        "odd variable name" => s with { Job = s.Job with { Variables = new Dictionary<string, string> { ["a.b\0c"] = "" } } },
        "negative runtime" => s with { Members = [s.Members[0] with { RuntimeNs = -1 }] },
        "start-up past processes" => s with { Modules = [s.Modules[0] with { StartupProcesses = s.Modules[0].Processes + 1 }] },
        "negative start-up" => s with { Modules = [s.Modules[0] with { StartupProcesses = -1 }] },
        "long member variable" => s with { Members = [s.Members[0] with { Variables = new Dictionary<string, string?> { ["PYTHONPATH"] = new('p', 9000) } }] },
        "odd member variable name" => s with { Members = [s.Members[0] with { Variables = new Dictionary<string, string?> { ["a.b"] = null } }] },
        "too many member variables" => s with
        {
            Members = [s.Members[0] with { Variables = Enumerable.Range(0, SummaryBounds.MaxVariables + 1).ToDictionary(i => $"V{i}", _ => (string?)null) }],
        },
        "too many job variables" => s with { Job = s.Job with { Variables = Enumerable.Range(0, SummaryBounds.MaxVariables + 1).ToDictionary(i => $"V{i}", _ => "x") } },
        _ => throw new ArgumentException(forgery),
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void A_forged_summary_is_refused_alone_and_the_others_of_its_batch_stand(string forgery)
    {
        var batch = BatchCodecTests.Sample();
        var forged = batch with { Summaries = [batch.Summaries[0], Forge(batch.Summaries[0], forgery), batch.Summaries[1]] };

        var received = BatchCodec.Receive(BatchCodec.Encode(forged));

        var refusal = Assert.Single(received.Refused);
        Assert.Equal(1, refusal.Index);
        Assert.Equal(SummaryRefusalKind.OutOfBounds, refusal.Kind);
        Assert.NotEmpty(refusal.Reason);
        Assert.Equal([4242, 1], received.Batch.Summaries.Select(s => s.Members[0].Pid));
        // The strict decoder, which the agent's own tools use, refuses the batch and names the summary.
        Assert.Contains("summary 1", Assert.Throws<WireFormatException>(() => BatchCodec.Decode(BatchCodec.Encode(forged))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_summary_too_large_to_store_is_refused_by_its_size_before_it_is_read()
    {
        var batch = BatchCodecTests.Sample();
        var s = batch.Summaries[0];
        var huge = s with { Modules = Enumerable.Range(0, 2000).Select(i => new ModuleUse($"m{i}", new string('f', 4000)) { Processes = 1 }).ToArray() };

        var received = BatchCodec.Receive(BatchCodec.Encode(batch with { Summaries = [huge, s] }));

        Assert.Contains("bytes", Assert.Single(received.Refused).Reason, StringComparison.Ordinal);
        Assert.Equal(SummaryRefusalKind.TooLarge, received.Refused[0].Kind);
        Assert.Equal(0, received.Refused[0].Index);
        Assert.Single(received.Batch.Summaries);
    }

    public static TheoryData<string> WrongTypes => new()
    {
        "uid -1", "uid 2^32", "pid 2^40", "rank a string", "members a map", "sum a string", "member vars a string", "member variable a number",
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public void A_value_of_the_wrong_type_or_range_inside_a_summary_refuses_that_summary(string wrong)
    {
        var received = BatchCodec.Receive(BatchCodecTests.Compress(RawBatch((ref MessagePackWriter w) => WriteSummary(ref w, wrong), (ref MessagePackWriter w) => WriteSummary(ref w, "good"))));

        Assert.Equal(0, Assert.Single(received.Refused).Index);
        Assert.Equal(SummaryRefusalKind.Malformed, received.Refused[0].Kind);
        Assert.Equal(7, Assert.Single(received.Batch.Summaries).Members[0].Pid);
    }

    [Theory]
    [InlineData("created", 1L << 62)]
    [InlineData("created", -1L)]
    [InlineData("v", 1L << 40)]
    public void A_batch_field_out_of_range_refuses_the_batch_as_a_format_error(string key, long value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(3);
        w.Write("key"); w.Write("k");
        if (key != "v")
        {
            w.Write("v"); w.Write(WireFormat.Version);
        }
        else
        {
            w.Write("created"); w.Write(1_764_000_000_000L);
        }
        w.Write(key); w.Write(value);
        w.Flush();

        Assert.Throws<WireFormatException>(() => BatchCodec.Receive(BatchCodecTests.Compress(buffer.WrittenSpan)));
    }

    [Fact]
    public void A_node_name_of_5_MB_refuses_the_batch()
    {
        var batch = BatchCodecTests.Sample() with { Node = new string('n', 5 * 1024 * 1024) };

        Assert.Throws<WireFormatException>(() => BatchCodec.Receive(BatchCodec.Encode(batch)));
    }

    [Fact]
    public void An_unknown_key_nested_a_million_deep_is_skipped_without_exhausting_the_stack()
    {
        // MessagePackReader.Skip recurses once per level: this ended the process (a stack overflow is not catchable).
        var nested = new byte[1_000_001];
        nested.AsSpan(0, 1_000_000).Fill(0x91);
        nested[^1] = 0xc0;

        var received = BatchCodec.Receive(BatchCodecTests.Compress(RawBatch((ref MessagePackWriter w) => WriteSummary(ref w, "good"), (ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(1);
            w.Write("future");
            w.WriteRaw(nested);
        })));

        Assert.Equal(2, received.Batch.Summaries.Count + received.Refused.Count);
        Assert.Single(received.Refused);
    }

    internal delegate void SummaryWriter(ref MessagePackWriter w);

    internal static byte[] RawBatch(params SummaryWriter[] summaries)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(4);
        w.Write("v"); w.Write(WireFormat.Version);
        w.Write("key"); w.Write("k1");
        w.Write("created"); w.Write(1_764_000_000_000L);
        w.Write("sums"); w.WriteArrayHeader(summaries.Length);
        foreach (var write in summaries)
        {
            write(ref w);
        }
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteSummary(ref MessagePackWriter w, string wrong)
    {
        w.WriteMapHeader(3);
        w.Write("uid");
        switch (wrong)
        {
            case "uid -1": w.Write(-1); break;
            case "uid 2^32": w.Write(1L << 32); break;
            default: w.Write(1001); break;
        }
        w.Write("members");
        if (wrong == "members a map")
        {
            w.WriteMapHeader(1); w.Write("a"); w.Write(1);
        }
        else
        {
            w.WriteArrayHeader(1);
            w.WriteArrayHeader(wrong.StartsWith("member var", StringComparison.Ordinal) ? 13 : 12);
            w.Write("n:7.1");
            if (wrong == "pid 2^40") { w.Write(1L << 40); } else { w.Write(7); }
            w.Write(0);
            if (wrong == "rank a string") { w.Write("zero"); } else { w.Write(-1); }
            w.Write(1_764_000_000_000L); w.Write(1_764_000_000_100L); w.Write(0L); w.Write(0L);
            w.Write("exit"); w.Write(false); w.Write("/"); w.Write(true);
            if (wrong == "member vars a string")
            {
                w.Write("CUDA_VISIBLE_DEVICES=1");
            }
            else if (wrong == "member variable a number")
            {
                w.WriteMapHeader(1); w.Write("PMI_RANK"); w.Write(1);
            }
        }
        w.Write("mods");
        w.WriteArrayHeader(1);
        w.WriteArrayHeader(9);
        w.Write("numpy"); w.Write("/x/numpy/__init__.py"); w.Write("source"); w.Write(""); w.Write("");
        w.Write(1);
        w.WriteArrayHeader(5); w.Write(1L);
        if (wrong == "sum a string") { w.Write("five"); } else { w.Write(5L); }
        w.Write(5L); w.Write(5L); w.WriteArrayHeader(2); w.Write(2); w.Write(1L);
        w.WriteArrayHeader(5); w.Write(0L); w.Write(0L); w.Write(0L); w.Write(0L); w.WriteArrayHeader(0);
        w.WriteArrayHeader(0);
    }
}
