using Polaris.Wire;

namespace Polaris.Collector.Aggregation;

/// <summary>Import times added up exactly: the count, the sum and the wire's power-of-two buckets (bucket <c>b</c>
/// holds [2^b, 2^(b+1)) ns), which merge across summaries, days and collectors without losing anything.</summary>
public sealed class ImportHistogram
{
    /// <summary>Buckets a duration in ns can fall in.</summary>
    public const int BucketCount = 64;

    private long[]? _buckets;

    // A histogram made from one distribution keeps that distribution's few buckets until it is read whole or merged
    // into: a summary's facts hold one for each of its sixty libraries, and 64 counts each were a third of what
    // preparing a summary allocated. Never both this and _buckets.
    private (int Bucket, long Count)[]? _sparse;

    /// <summary>Durations added.</summary>
    public long Count { get; private set; }

    /// <summary>Their sum in ns, saturating at <see cref="long.MaxValue"/>.</summary>
    public long Sum { get; private set; }

    /// <summary>Count per bucket (all 64; empty when nothing was added).</summary>
    public ReadOnlySpan<long> Buckets
    {
        get
        {
            Densify();
            return _buckets;
        }
    }

    /// <summary>Writes the non-empty buckets, in order, into <paramref name="into"/> (room for
    /// <see cref="BucketCount"/>) and returns how many; reads without making the 64 counts.</summary>
    public int NonZero(Span<(int Bucket, long Count)> into)
    {
        if (_sparse != null)
        {
            _sparse.CopyTo(into);
            return _sparse.Length;
        }
        int used = 0;
        if (_buckets != null)
        {
            for (int b = 0; b < _buckets.Length; b++)
            {
                if (_buckets[b] != 0)
                {
                    into[used++] = (b, _buckets[b]);
                }
            }
        }
        return used;
    }

    /// <summary>Adds a summary's distribution.</summary>
    public void Add(TimeDistribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        if (distribution.Count == 0)
        {
            return;
        }
        if (Count == 0 && _buckets == null && _sparse == null && IsSparse(distribution.BucketSpan()))
        {
            _sparse = distribution.BucketSpan().ToArray();
        }
        else
        {
            Densify();
            var buckets = _buckets ??= new long[BucketCount];
            foreach (var (bucket, n) in distribution.BucketSpan())
            {
                buckets[Math.Clamp(bucket, 0, BucketCount - 1)] = Saturated(buckets[Math.Clamp(bucket, 0, BucketCount - 1)], n);
            }
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
        Densify();
        var buckets = _buckets ??= new long[BucketCount];
        if (other._sparse != null)
        {
            foreach (var (bucket, n) in other._sparse)
            {
                buckets[bucket] = Saturated(buckets[bucket], n);
            }
        }
        else if (other._buckets != null)
        {
            var theirs = other._buckets;
            for (int i = 0; i < theirs.Length; i++)
            {
                buckets[i] = Saturated(buckets[i], theirs[i]);
            }
        }
        Count = Saturated(Count, other.Count);
        Sum = Saturated(Sum, other.Sum);
    }

    // Kept as they came only when they are what the 64 counts would hold: in range, ascending, not empty.
    private static bool IsSparse(ReadOnlySpan<(int Bucket, long Count)> buckets)
    {
        int last = -1;
        foreach (var (bucket, n) in buckets)
        {
            if (bucket <= last || bucket >= BucketCount || n <= 0)
            {
                return false;
            }
            last = bucket;
        }
        return true;
    }

    private void Densify()
    {
        if (_sparse == null)
        {
            return;
        }
        var buckets = new long[BucketCount];
        foreach (var (bucket, n) in _sparse)
        {
            buckets[bucket] = n;
        }
        _buckets = buckets;
        _sparse = null;
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
