using Polaris.Wire;

namespace Polaris.Collector.Aggregation;

/// <summary>Import times added up exactly: the count, the sum and the wire's power-of-two buckets (bucket <c>b</c>
/// holds [2^b, 2^(b+1)) ns), which merge across summaries, days and collectors without losing anything.</summary>
public sealed class ImportHistogram
{
    /// <summary>Buckets a duration in ns can fall in.</summary>
    public const int BucketCount = 64;

    private long[]? _buckets;

    /// <summary>Durations added.</summary>
    public long Count { get; private set; }

    /// <summary>Their sum in ns, saturating at <see cref="long.MaxValue"/>.</summary>
    public long Sum { get; private set; }

    /// <summary>Count per bucket (all 64; empty when nothing was added).</summary>
    public ReadOnlySpan<long> Buckets => _buckets;

    /// <summary>Adds a summary's distribution.</summary>
    public void Add(TimeDistribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        if (distribution.Count == 0)
        {
            return;
        }
        var buckets = _buckets ??= new long[BucketCount];
        foreach (var (bucket, n) in distribution.BucketSpan())
        {
            buckets[Math.Clamp(bucket, 0, BucketCount - 1)] = Saturated(buckets[Math.Clamp(bucket, 0, BucketCount - 1)], n);
        }
        Count = Saturated(Count, distribution.Count);
        Sum = Saturated(Sum, distribution.Sum);
    }

    /// <summary>Adds another histogram.</summary>
    public void Add(ImportHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return;
        }
        var buckets = _buckets ??= new long[BucketCount];
        var theirs = other.Buckets;
        for (int i = 0; i < theirs.Length; i++)
        {
            buckets[i] = Saturated(buckets[i], theirs[i]);
        }
        Count = Saturated(Count, other.Count);
        Sum = Saturated(Sum, other.Sum);
    }


    /// <summary>Rebuilds a histogram from stored values (count, sum, 64 buckets or none).</summary>
    public static ImportHistogram From(long count, long sum, IReadOnlyList<long>? buckets)
    {
        var histogram = new ImportHistogram { Count = Math.Max(0, count), Sum = Math.Max(0, sum) };
        if (buckets is { Count: BucketCount })
        {
            histogram._buckets = buckets.Select(b => Math.Max(0, b)).ToArray();
        }
        return histogram;
    }

    private static long Saturated(long a, long b) => b > 0 && a > long.MaxValue - b ? long.MaxValue : a + Math.Max(0, b);
}
