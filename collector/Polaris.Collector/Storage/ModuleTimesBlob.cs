using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>A summary's per-module import times (self and cumulative distributions, in the table's order), in one
/// binary value: what varies from node to node beside the module table, kept without a document per module.</summary>
/// <remarks>Layout per module and distribution: count, sum, min, max, the number of non-empty buckets, then (bucket,
/// count) pairs; 7-bit encoded, so a distribution of one process takes a dozen bytes.</remarks>
internal static class ModuleTimesBlob
{
    public static byte[] Of(IReadOnlyList<ModuleUse> modules)
    {
        using var buffer = new MemoryStream(modules.Count * 24);
        using (var writer = new BinaryWriter(buffer))
        {
            writer.Write7BitEncodedInt(modules.Count);
            foreach (var module in modules)
            {
                Write(writer, module.SelfNs);
                Write(writer, module.CumulativeNs);
            }
        }
        return buffer.ToArray();
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

    private static void Write(BinaryWriter writer, TimeDistribution d)
    {
        writer.Write7BitEncodedInt64(d.Count);
        if (d.Count == 0)
        {
            return;
        }
        writer.Write7BitEncodedInt64(d.Sum);
        writer.Write7BitEncodedInt64(d.Min);
        writer.Write7BitEncodedInt64(d.Max);
        writer.Write7BitEncodedInt(d.Buckets.Count);
        foreach (var (bucket, n) in d.Buckets)
        {
            writer.Write((byte)bucket);
            writer.Write7BitEncodedInt64(n);
        }
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
