using System.Text;
using ZstdSharp;

namespace Polaris.Wire.Tests;

/// <summary>A summary's source (<c>src</c>): an imported one travels with it, an agent's is written as before sources
/// existed, and a source the reader does not know refuses its summary alone rather than pass for the agent's.</summary>
public class SourceWireTests
{
    private static ProcessSummary First => BatchCodecTests.Sample().Summaries[0];

    private static Batch WithSummaries(params ProcessSummary[] summaries) => BatchCodecTests.Sample() with { Summaries = summaries };

    [Fact]
    public void Imported_summaries_come_back_with_their_source_and_an_agent_summary_as_the_agent_s()
    {
        var read = BatchCodec.Decode(BatchCodec.Encode(WithSummaries(
            First with { Source = RecordSource.Xalt }, First with { Source = RecordSource.PyModuleSnooper }, First))).Summaries;

        Assert.Equal([RecordSource.Xalt, RecordSource.PyModuleSnooper, RecordSource.Agent], read.Select(s => s.Source));
    }

    [Fact]
    public void An_agent_summary_is_written_byte_for_byte_as_before_sources_existed()
    {
        var plain = Plain(BatchCodec.Encode(WithSummaries(First)));

        Assert.DoesNotContain("src", Encoding.UTF8.GetString(plain), StringComparison.Ordinal);
        Assert.Equal(RecordSource.Agent, Assert.Single(BatchCodec.Decode(BatchCodecTests.Compress(plain)).Summaries).Source);
    }

    [Theory]
    [InlineData("xbox")]
    [InlineData("Agent")]
    [InlineData("")]
    [InlineData(null)]
    public void A_source_the_reader_does_not_know_refuses_its_summary_alone(string? spelling)
    {
        var plain = Plain(BatchCodec.Encode(WithSummaries(First, First with { Source = RecordSource.Xalt }, First)));
        // fixstr "xalt" (0xa4 + 4 bytes) becomes another string, or the integer 7 (maps count entries, not bytes).
        var xalt = new byte[] { 0xa4, (byte)'x', (byte)'a', (byte)'l', (byte)'t' };
        int at = plain.AsSpan().IndexOf(xalt);
        Assert.True(at > 0);
        byte[] replacement = spelling == null ? [0x07] : [(byte)(0xa0 | spelling.Length), .. Encoding.UTF8.GetBytes(spelling)];
        byte[] forged = [.. plain.AsSpan(0, at), .. replacement, .. plain.AsSpan(at + xalt.Length)];

        var received = BatchCodec.Receive(BatchCodecTests.Compress(forged));

        var refusal = Assert.Single(received.Refused);
        Assert.Equal((1, SummaryRefusalKind.OutOfBounds), (refusal.Index, refusal.Kind));
        Assert.Equal([RecordSource.Agent, RecordSource.Agent], received.Batch.Summaries.Select(s => s.Source));
    }

    private static byte[] Plain(byte[] compressed)
    {
        using var decompressor = new Decompressor();
        return decompressor.Unwrap(compressed).ToArray();
    }
}
