using Polaris.Collector.Storage;

namespace Polaris.Collector.Tests.Reports;

/// <summary>The packed sets of roll-ups: what goes in comes out, whatever the values, and a damaged set is refused
/// rather than read past its end.</summary>
public class PackedSetTests
{
    [Fact]
    public void Numbers_come_back_as_a_set_whatever_their_size_or_sign()
    {
        long[] values = [0, 1, 127, 128, 1001, 1001, 4_294_967_296L + 5, long.MaxValue, -1, long.MinValue, -42];
        var back = new HashSet<long>();
        PackedSet.AddNumbers(PackedSet.Numbers(values), back);

        Assert.Equal(values.ToHashSet(), back);
    }

    [Fact]
    public void Texts_come_back_as_a_set_and_job_numbers_are_the_digits_or_a_hash_apart_from_them()
    {
        string[] keys = ["1234501", "1234501", "0", "x1234501", "héllo", "", "999999999999999999", "9999999999999999999"];
        var texts = new HashSet<string>();
        var numbers = new HashSet<long>();
        var packed = PackedSet.Texts(keys);
        PackedSet.AddTexts(packed, texts);
        PackedSet.AddJobNumbers(packed, numbers);

        Assert.Equal(keys.ToHashSet(), texts);
        Assert.Equal(keys.Select(PackedSet.JobNumber).ToHashSet(), numbers);
        Assert.Equal(1234501L, PackedSet.JobNumber("1234501"));
        Assert.Equal(999999999999999999L, PackedSet.JobNumber("999999999999999999"));
        // Not digits, or too many of them: a hash with the sign bit set, never a digit key's value.
        Assert.True(PackedSet.JobNumber("x1234501") < 0);
        Assert.True(PackedSet.JobNumber("9999999999999999999") < 0);
        Assert.NotEqual(PackedSet.JobNumber("a"), PackedSet.JobNumber("b"));
    }

    [Theory]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void A_damaged_set_is_refused(byte[] packed)
    {
        Assert.Throws<InvalidDataException>(() => PackedSet.AddNumbers(packed, []));
        Assert.Throws<InvalidDataException>(() => PackedSet.AddTexts(packed, new List<string>()));
        Assert.Throws<InvalidDataException>(() => PackedSet.AddJobNumbers(packed, []));
    }

    [Fact]
    public void A_text_longer_than_what_is_left_is_refused()
    {
        byte[] packed = [0x05, (byte)'a'];

        Assert.Throws<InvalidDataException>(() => PackedSet.AddTexts(packed, new List<string>()));
        Assert.Throws<InvalidDataException>(() => PackedSet.AddJobNumbers(packed, []));
    }
}
