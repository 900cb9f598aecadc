using System.Buffers;
using MessagePack;
using ZstdSharp;

namespace Polaris.Wire.Tests;

/// <summary>The keys of a live summary (<c>sid</c>, <c>ver</c>, <c>final</c>) travel as written, a summary without
/// them reads as final version 0 and is written exactly as before them, and a forged id or version is refused alone.</summary>
public class LiveSummaryWireTests
{
    private static Batch WithSummaries(params ProcessSummary[] summaries) => BatchCodecTests.Sample() with { Summaries = summaries };

    private static ProcessSummary First => BatchCodecTests.Sample().Summaries[0];

    [Fact]
    public void Every_version_of_a_live_summary_comes_back_with_its_id_version_and_finality()
    {
        var provisional = First with { SummaryId = "0193a1b2c3d4e5f60718293a4b5c6d7e", Version = 1, Final = false };
        var final = provisional with { Version = 2, Final = true };
        var largest = provisional with { SummaryId = "n1:" + new string('x', SummaryBounds.MaxSummaryIdLength - 3), Version = SummaryBounds.MaxSummaryVersion };

        var read = BatchCodec.Decode(BatchCodec.Encode(WithSummaries(provisional, final, largest))).Summaries;

        Assert.Equal(("0193a1b2c3d4e5f60718293a4b5c6d7e", 1u, false), (read[0].SummaryId, read[0].Version, read[0].Final));
        Assert.Equal(("0193a1b2c3d4e5f60718293a4b5c6d7e", 2u, true), (read[1].SummaryId, read[1].Version, read[1].Final));
        Assert.Equal((largest.SummaryId, SummaryBounds.MaxSummaryVersion), (read[2].SummaryId, read[2].Version));
        Assert.Equal(First.Members, read[0].Members);
    }

    [Fact]
    public void A_summary_without_an_id_is_final_version_0_and_its_map_has_no_live_keys()
    {
        var summary = First;
        Assert.Null(summary.SummaryId);

        var bytes = BatchCodec.Encode(WithSummaries(summary));
        var read = Assert.Single(BatchCodec.Decode(bytes).Summaries);

        Assert.Equal((null, 0u, true), (read.SummaryId, read.Version, read.Final));
        Assert.DoesNotContain("sid", SummaryKeys(bytes));
        Assert.DoesNotContain("ver", SummaryKeys(bytes));
        Assert.DoesNotContain("final", SummaryKeys(bytes));
        Assert.Equal(10, SummaryKeys(bytes).Count);
    }

    [Fact]
    public void A_version_or_finality_without_an_id_is_ignored_as_every_summary_before_live_ones_was_final()
    {
        var read = Assert.Single(BatchCodec.Decode(BatchCodec.Encode(WithSummaries(First with { Version = 7, Final = false }))).Summaries);

        Assert.Equal((null, 0u, true), (read.SummaryId, read.Version, read.Final));
    }

    public static TheoryData<string> Forgeries => new()
    {
        "empty sid", "sid of 65 characters", "sid with a space", "sid with a slash", "sid with a NUL", "sid not ASCII",
        "ver 0", "ver past 2^31", "ver 2^32 - 1",
    };

    private static ProcessSummary Forge(string forgery)
    {
        var live = First with { SummaryId = "n1:1764000000000:1", Version = 1, Final = false };
        return forgery switch
        {
            "empty sid" => live with { SummaryId = "" },
            "sid of 65 characters" => live with { SummaryId = new string('a', 65) },
            "sid with a space" => live with { SummaryId = "a b" },
            "sid with a slash" => live with { SummaryId = "../../etc" },
            "sid with a NUL" => live with { SummaryId = "a\0b" },
            "sid not ASCII" => live with { SummaryId = "données" },
            "ver 0" => live with { Version = 0 },
            "ver past 2^31" => live with { Version = SummaryBounds.MaxSummaryVersion + 1 },
            "ver 2^32 - 1" => live with { Version = uint.MaxValue },
            _ => throw new ArgumentException(forgery),
        };
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void A_forged_id_or_version_is_refused_out_of_bounds_alone_and_the_others_of_its_batch_stand(string forgery)
    {
        var good = First with { SummaryId = "n1:1764000000000:2", Version = 3, Final = true };

        var received = BatchCodec.Receive(BatchCodec.Encode(WithSummaries(good, Forge(forgery), First)));

        var refusal = Assert.Single(received.Refused);
        Assert.Equal(1, refusal.Index);
        Assert.Equal(SummaryRefusalKind.OutOfBounds, refusal.Kind);
        Assert.Equal(["n1:1764000000000:2", null], received.Batch.Summaries.Select(s => s.SummaryId));
    }

    [Theory]
    [InlineData("n1:1764000000000:1", true)]
    [InlineData("0193a1b2c3d4e5f60718293a4b5c6d7e", true)]
    [InlineData("x3005c0s13b0n0.hsn.cm.polaris.alcf.anl.gov:1764000000000:12", true)]
    [InlineData("A-Z_a.z:09", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("a+b", false)]
    [InlineData("a\nb", false)]
    public void An_id_is_1_to_64_characters_of_letters_digits_dot_underscore_colon_and_dash(string? id, bool valid) =>
        Assert.Equal(valid, SummaryBounds.IsSummaryId(id));

    /// <summary>The keys of the batch's first summary map, read from the bytes as they travel.</summary>
    private static List<string> SummaryKeys(byte[] compressed)
    {
        using var decompressor = new Decompressor();
        var plain = decompressor.Unwrap(compressed).ToArray();
        var reader = new MessagePackReader(new ReadOnlySequence<byte>(plain));
        int fields = reader.ReadMapHeader();
        for (int i = 0; i < fields; i++)
        {
            if (reader.ReadString() != "sums")
            {
                reader.Skip();
                continue;
            }
            reader.ReadArrayHeader();
            int keys = reader.ReadMapHeader();
            var names = new List<string>();
            for (int k = 0; k < keys; k++)
            {
                names.Add(reader.ReadString()!);
                reader.Skip();
            }
            return names;
        }
        throw new InvalidOperationException("no summaries");
    }
}
