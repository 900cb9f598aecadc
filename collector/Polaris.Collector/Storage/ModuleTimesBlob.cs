using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>A summary's per-module import times (self and cumulative distributions, in the table's order), in one
/// binary value: what varies from node to node beside the module table, kept without a document per module.</summary>
/// <remarks>Layout per module and distribution: count, sum, min, max, the number of non-empty buckets, then (bucket,
/// count) pairs; 7-bit encoded, so a distribution of one process takes a dozen bytes.</remarks>
internal static class ModuleTimesBlob
{
    // The blob is written here first and copied out once: a MemoryStream grew by doubling and copied again at the end.
    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? t_buffer;

    public static byte[] Of(IReadOnlyList<ModuleUse> modules)
    {
        var buffer = t_buffer ??= new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
        buffer.ResetWrittenCount();
        Write(buffer, (ulong)modules.Count);
        for (int i = 0; i < modules.Count; i++)
        {
            Write(buffer, modules[i].SelfNs);
            Write(buffer, modules[i].CumulativeNs);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The (self, cumulative) distributions; empty when the blob is not one.</summary>
    public static IReadOnlyList<(TimeDistribution Self, TimeDistribution Cumulative)> Read(byte[]? blob)
    {
        if (blob == null || blob.Length == 0)
        {
            return [];
        }
        using var reader = new BinaryReader(new MemoryStream(blob));
        int count = reader.Read7BitEncodedInt();
        var times = new List<(TimeDistribution, TimeDistribution)>(Math.Min(count, SummaryBounds.MaxModulesPerSummary));
        for (int i = 0; i < count; i++)
        {
            times.Add((Read(reader), Read(reader)));
        }
        return times;
    }

    private static void Write(System.Buffers.ArrayBufferWriter<byte> buffer, TimeDistribution d)
    {
        // At most 4 values and a count of 10 bytes each, then 64 buckets of 11: within one span asked for once.
        var buckets = d.BucketSpan();
        var span = buffer.GetSpan(41 + (11 * buckets.Length));
        int at = Put(span, 0, (ulong)d.Count);
        if (d.Count != 0)
        {
            at = Put(span, at, (ulong)d.Sum);
            at = Put(span, at, (ulong)d.Min);
            at = Put(span, at, (ulong)d.Max);
            at = Put(span, at, (ulong)buckets.Length);
            foreach (var (bucket, n) in buckets)
            {
                span[at++] = (byte)bucket;
                at = Put(span, at, (ulong)n);
            }
        }
        buffer.Advance(at);
    }

    private static void Write(System.Buffers.ArrayBufferWriter<byte> buffer, ulong value)
    {
        var span = buffer.GetSpan(10);
        buffer.Advance(Put(span, 0, value));
    }

    /// <summary>Writes <paramref name="value"/> 7 bits a byte as <see cref="BinaryWriter.Write7BitEncodedInt64"/> does
    /// (what <see cref="Read(BinaryReader)"/> reads); returns the position after it.</summary>
    private static int Put(Span<byte> span, int at, ulong value)
    {
        while (value >= 0x80)
        {
            span[at++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[at++] = (byte)value;
        return at;
    }

    private static TimeDistribution Read(BinaryReader reader)
    {
        long count = reader.Read7BitEncodedInt64();
        if (count == 0)
        {
            return new TimeDistribution();
        }
        long sum = reader.Read7BitEncodedInt64(), min = reader.Read7BitEncodedInt64(), max = reader.Read7BitEncodedInt64();
        int used = reader.Read7BitEncodedInt();
        var buckets = new (int, long)[used];
        for (int i = 0; i < used; i++)
        {
            buckets[i] = (reader.ReadByte(), reader.Read7BitEncodedInt64());
        }
        return TimeDistribution.From(count, sum, min, max, buckets);
    }
}
