using MessagePack;

namespace Polaris.Wire.Tests;

/// <summary>What a batch costs a collector to decode stays bounded by what it holds: refusals, and the memory the
/// decompression is charged for.</summary>
public sealed class DecodingCostTests
{
    private static byte[] BatchOfNils(int summaries) =>
        BatchCodecTests.Compress(SummaryRefusalTests.RawBatch([.. Enumerable.Repeat<SummaryRefusalTests.SummaryWriter>(static (ref MessagePackWriter w) => w.WriteNil(), summaries)]));

    [Fact]
    public void Refusals_are_listed_one_by_one_up_to_the_bound_and_past_it_the_batch_is_refused()
    {
        var received = BatchCodec.Receive(BatchOfNils(SummaryBounds.MaxRefusedSummaries));
        Assert.Equal(SummaryBounds.MaxRefusedSummaries, received.Refused.Count);
        Assert.Empty(received.Batch.Summaries);

        // 200,000 summaries of one nil byte each: refused whole at the bound, not walked to the end.
        var e = Assert.Throws<WireFormatException>(() => BatchCodec.Receive(BatchOfNils(200_000)));
        Assert.Contains("summaries of the batch are refused", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_decompression_is_charged_what_it_holds()
    {
        var bytes = BatchCodec.Encode(BatchCodecTests.Sample());
        var reserved = new List<int>();
        BatchCodec.Receive(bytes, null, reserved.Add);
        long plain = BatchCodecTests.Decompress(bytes).Length;
        // The first reservation is the decompression's segment, rented from a pool of powers of two.
        Assert.True(System.Numerics.BitOperations.IsPow2(reserved[0]), $"{reserved[0]} is not what the pool hands out");
        Assert.InRange(reserved[0], plain, Math.Max(2 * plain, 1));
    }
}
