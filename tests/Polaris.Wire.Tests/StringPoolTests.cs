using System.Text;

namespace Polaris.Wire.Tests;

public sealed class StringPoolTests
{
    [Fact]
    public void The_same_bytes_give_the_same_string_and_other_bytes_their_own()
    {
        var pool = new StringPool(slots: 1);
        var numpy = pool.Get("numpy.core"u8);
        Assert.Same(numpy, pool.Get("numpy.core"u8));
        // One slot: the other string takes it, and each is still decoded right.
        Assert.Equal("scipy.linalg", pool.Get("scipy.linalg"u8));
        Assert.Equal("numpy.core", pool.Get("numpy.core"u8));
    }

    [Fact]
    public void Long_and_invalid_strings_decode_as_the_encoding_does()
    {
        var pool = new StringPool();
        var longText = Encoding.UTF8.GetBytes(new string('x', StringPool.MaxPooledBytes + 1));
        Assert.NotSame(pool.Get(longText), pool.Get(longText));
        Assert.Equal(new string('x', StringPool.MaxPooledBytes + 1), pool.Get(longText));
        byte[] invalid = [0x61, 0xff, 0x62];
        Assert.Equal(Encoding.UTF8.GetString(invalid), pool.Get(invalid));
    }

    [Fact]
    public void A_batch_decoded_through_a_pool_is_the_batch_decoded_without()
    {
        var bytes = BatchCodec.Encode(BatchCodecTests.Sample());
        var pool = new StringPool();
        var first = BatchCodec.Receive(bytes, null, null, pool).Batch.Summaries[0];
        var second = BatchCodec.Receive(bytes, null, null, pool).Batch.Summaries[0];
        var plain = BatchCodec.Receive(bytes).Batch.Summaries[0];
        Assert.Equal(plain.Modules.Select(m => (m.Name, m.File, m.Version, m.Origin, m.Kind)), second.Modules.Select(m => (m.Name, m.File, m.Version, m.Origin, m.Kind)));
        Assert.All(first.Modules.Zip(second.Modules), pair => Assert.Same(pair.First.File, pair.Second.File));
    }
}
