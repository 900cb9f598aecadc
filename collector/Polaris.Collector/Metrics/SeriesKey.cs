using System.IO.Hashing;
using Polaris.Collector.Storage;

namespace Polaris.Collector.Metrics;

/// <summary>The stored id of one series: a hash of its metric name and label values, so that ids stay short whatever a
/// label holds (LiteDB keys must stay under 1,023 bytes).</summary>
internal static class SeriesKey
{
    public static string Of(string metric, IReadOnlyList<string> labels)
    {
        var hash = new XxHash128();
        HashedText.Append(hash, metric);
        foreach (var label in labels)
        {
            HashedText.Append(hash, label);
        }
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
