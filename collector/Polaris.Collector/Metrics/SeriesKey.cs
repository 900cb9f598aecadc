using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Polaris.Collector.Metrics;

/// <summary>The stored id of one series: a hash of its metric name and label values, so that ids stay short whatever a
/// label holds (LiteDB keys must stay under 1,023 bytes).</summary>
internal static class SeriesKey
{
    public static string Of(string metric, IReadOnlyList<string> labels)
    {
        var hash = new XxHash128();
        Append(hash, metric);
        foreach (var label in labels)
        {
            Append(hash, label);
        }
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    private static void Append(XxHash128 hash, string value)
    {
        Span<byte> length = stackalloc byte[4];
        BitConverter.TryWriteBytes(length, value.Length);
        hash.Append(length);
        hash.Append(MemoryMarshal.AsBytes(value.AsSpan()));
    }
}
