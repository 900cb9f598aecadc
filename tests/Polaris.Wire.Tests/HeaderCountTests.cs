using System.Buffers;
using MessagePack;
using Xunit.Abstractions;

namespace Polaris.Wire.Tests;

/// <summary>A count past its bound is refused at its header, before anything is made for its entries, and what a
/// batch decodes to is counted before it is made.</summary>
[Collection(HeapMeasurements.Name)]
public class HeaderCountTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> Headers => new()
    {
        { "members", SummaryBounds.MaxMembers },
        { "mods", SummaryBounds.MaxModulesPerSummary },
        { "a module's members", SummaryBounds.MaxMembers },
        { "a distribution's buckets", 128 },
        { "sos", SummaryBounds.MaxSharedObjectsPerSummary },
        { "job vars", SummaryBounds.MaxVariables },
        { "member vars", SummaryBounds.MaxVariables },
        { "a list of environment changes", SummaryBounds.MaxPackageChanges },
        { "pypath", SummaryBounds.MaxPackageChanges },
    };

    /// <summary>A batch of one summary whose <paramref name="header"/> claims one entry past its bound, each entry a
    /// nil: a reader that made anything for the entries before looking at the count would fail on the first
    /// (malformed), not on the count.</summary>
    private static byte[] Claiming(string header, int count)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(4);
        w.Write("v"); w.Write(WireFormat.Version);
        w.Write("key"); w.Write("claims");
        w.Write("created"); w.Write(1_764_000_000_000);
        w.Write("sums"); w.WriteArrayHeader(1);
        w.WriteMapHeader(3);
        w.Write("host"); w.Write("node01");
        w.Write("uid"); w.Write(1001);
        switch (header)
        {
            case "members": w.Write("members"); Nils(ref w, count); break;
            case "mods": w.Write("mods"); Nils(ref w, count); break;
            case "a module's members":
                w.Write("mods"); w.WriteArrayHeader(1); w.WriteArrayHeader(9);
                w.Write("numpy"); w.Write(""); w.Write("source"); w.Write(""); w.Write(""); w.Write(1);
                Distribution(ref w); Distribution(ref w); Nils(ref w, count);
                break;
            case "a distribution's buckets":
                w.Write("mods"); w.WriteArrayHeader(1); w.WriteArrayHeader(9);
                w.Write("numpy"); w.Write(""); w.Write("source"); w.Write(""); w.Write(""); w.Write(1);
                w.WriteArrayHeader(5); w.Write(1); w.Write(1); w.Write(1); w.Write(1); Nils(ref w, count);
                Distribution(ref w); w.WriteArrayHeader(0);
                break;
            case "sos": w.Write("sos"); Nils(ref w, count); break;
            case "job vars": w.Write("job"); w.WriteMapHeader(1); w.Write("vars"); NilMap(ref w, count); break;
            case "member vars":
                w.Write("members"); w.WriteArrayHeader(1); w.WriteArrayHeader(13);
                w.Write("node01:1.1"); w.Write(1); w.Write(0); w.Write(-1); w.Write(0); w.Write(0); w.Write(0); w.Write(0);
                w.Write("exit"); w.Write(false); w.Write("/"); w.Write(true); NilMap(ref w, count);
                break;
            case "a list of environment changes" or "pypath":
                w.Write("env"); w.WriteMapHeader(1); w.Write("changes"); w.WriteMapHeader(1);
                w.Write(header == "pypath" ? "pypath" : "added"); Nils(ref w, count);
                break;
            default: throw new ArgumentException(header);
        }
        w.Flush();
        using var compressor = new ZstdSharp.Compressor();
        return compressor.Wrap(buffer.WrittenSpan).ToArray();
    }

    private static void Nils(ref MessagePackWriter w, int count)
    {
        w.WriteArrayHeader(count);
        for (int i = 0; i < count; i++)
        {
            w.WriteNil();
        }
    }

    private static void NilMap(ref MessagePackWriter w, int count)
    {
        w.WriteMapHeader(count);
        for (int i = 0; i < 2 * count; i++)
        {
            w.WriteNil();
        }
    }

    private static void Distribution(ref MessagePackWriter w)
    {
        w.WriteArrayHeader(5);
        w.Write(0); w.Write(0); w.Write(0); w.Write(0); w.WriteArrayHeader(0);
    }

    [Theory]
    [MemberData(nameof(Headers))]
    public void A_count_past_its_bound_is_refused_at_its_header(string header, int bound)
    {
        var received = BatchCodec.Receive(Claiming(header, bound + 1));

        var refusal = Assert.Single(received.Refused);
        output.WriteLine(refusal.Reason);
        Assert.Equal(0, refusal.Index);
        Assert.Equal(SummaryRefusalKind.OutOfBounds, refusal.Kind);
        Assert.Equal($"{(header == "member vars" ? "member 1: vars" : header)} holds {bound + 1} entries; at most {bound}", refusal.Reason);
        Assert.Empty(received.Batch.Summaries);
    }

    /// <summary>At its bound the count passes the header: what refuses the nils is the entry itself.</summary>
    [Theory]
    [MemberData(nameof(Headers))]
    public void A_count_at_its_bound_passes_the_header(string header, int bound)
    {
        var refusal = Assert.Single(BatchCodec.Receive(Claiming(header, bound)).Refused);

        Assert.DoesNotContain("entries; at most", refusal.Reason, StringComparison.Ordinal);
    }

    /// <summary>A summary of 2,000 members with 64 variables of two-byte names and one-byte values each, and of
    /// 16,384 modules of short names: a few bytes an entry on the wire, many times that decoded.</summary>
    internal static ProcessSummary Wide(int members)
    {
        var sample = BatchCodecTests.Sample().Summaries[0];
        var variables = Enumerable.Range(0, SummaryBounds.MaxVariables).ToDictionary(i => $"V{i}", _ => (string?)"x");
        return sample with
        {
            Members = Enumerable.Range(0, members).Select(i => sample.Members[0] with { Pid = i + 1, Variables = variables }).ToArray(),
            Modules = Enumerable.Range(0, SummaryBounds.MaxModulesPerSummary).Select(i => new ModuleUse("l" + i, "") { Processes = members }).ToArray(),
            SharedObjects = [],
        };
    }

    /// <summary>Modules as a real process has them: dotted names, paths under an environment's site-packages.</summary>
    internal static ProcessSummary Real(int modules)
    {
        var sample = BatchCodecTests.Sample().Summaries[0];
        return sample with
        {
            Modules = Enumerable.Range(0, modules).Select(i => new ModuleUse(
                $"package{i % 97}.submodule{i}", $"/home/asmith/.conda/envs/analysis/lib/python3.11/site-packages/package{i % 97}/submodule{i}.py")
            {
                Processes = 1,
                Kind = ModuleKind.Source,
                Origin = Origin.CustomEnv,
                SelfNs = TimeDistribution.From(1, 1000 + i, 1000 + i, 1000 + i, [(TimeDistribution.BucketOf(1000 + i), 1)]),
                CumulativeNs = TimeDistribution.From(1, 5000 + i, 5000 + i, 5000 + i, [(TimeDistribution.BucketOf(5000 + i), 1)]),
            }).ToArray(),
        };
    }

    /// <summary>What the decoder reserves, against its MessagePack size and against what the decoded objects hold
    /// (the managed heap's growth while the batch is kept).</summary>
    private (long Plain, long Reserved, long Held) Measure(Batch batch)
    {
        var bytes = BatchCodec.Encode(batch);
        long plain = (long)ZstdSharp.Decompressor.GetDecompressedSize(bytes);
        long reserved = 0;
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var received = BatchCodec.Receive(bytes, reserve: n => reserved += n);
        long held = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.Empty(received.Refused);
        GC.KeepAlive(received);
        output.WriteLine($"{plain} bytes of MessagePack; {reserved} reserved ({(double)reserved / plain:F1}x); decoded objects hold {held} ({(double)held / plain:F1}x)");
        return (plain, reserved, held);
    }

    [Fact]
    public void What_tiny_entries_decode_to_is_reserved_before_they_are_made()
    {
        var (plain, reserved, held) = Measure(BatchCodecTests.Sample() with { Summaries = [Wide(2000)] });

        // The objects hold many times the bytes; the reservation covers them (and the segments of decompression).
        Assert.True(held > 8 * plain, $"held {held} of {plain}");
        Assert.True(reserved >= held, $"reserved {reserved}, held {held}");
    }

    [Fact]
    public void A_real_batch_is_reserved_at_about_five_times_its_bytes()
    {
        var (plain, reserved, held) = Measure(BatchCodecTests.Sample() with { Summaries = [Real(3000), Real(3000)] });

        Assert.True(reserved >= held, $"reserved {reserved}, held {held}");
        // Modules of real names and paths hold about 3.7 times their MessagePack decoded (two bytes a character, two
        // distributions and a list each), estimated at about 5; the decompression segments come on top.
        Assert.True(reserved - plain < 5.5 * plain, $"reserved {reserved} for {plain}");
    }
}
