using System.Numerics;
using System.Runtime.CompilerServices;

namespace Polaris.Wire;

/// <summary>How a duration spread over the processes of a summary: count, sum, extremes and a histogram with one
/// bucket per power of two of nanoseconds.</summary>
/// <remarks>
/// Power-of-two buckets keep a distribution to a few entries however many ranks it merges (import times of one
/// module across the ranks of a job cluster within a factor of two or four), and they add exactly, so summaries
/// from many nodes merge into one without losing anything they held. The buckets are kept sparse and sorted.
/// </remarks>
public sealed class TimeDistribution
{
    // Sparse and sorted, on an array the distribution grows itself: Add runs for every module of every record. None
    // until the first duration: a collector makes two distributions for each of the 600 modules of every summary.
    private (int Bucket, long Count)[] _buckets = [];
    private int _used;
    private int _last;

    /// <summary>Durations added.</summary>
    public long Count { get; private set; }

    /// <summary>Their sum, in ns.</summary>
    public long Sum { get; private set; }

    /// <summary>The shortest, in ns; 0 when empty.</summary>
    public long Min { get; private set; }

    /// <summary>The longest, in ns; 0 when empty.</summary>
    public long Max { get; private set; }

    /// <summary>Non-empty buckets in order: bucket <c>b</c> holds durations in [2^b, 2^(b+1)) ns (bucket 0 also 0).</summary>
    public IReadOnlyList<(int Bucket, long Count)> Buckets => new ArraySegment<(int, long)>(_buckets, 0, _used);

    /// <summary><see cref="Buckets"/> without an allocation: for the loops that run for every module of every summary
    /// a collector stores (the list is boxed, and so is its enumerator).</summary>
    public ReadOnlySpan<(int Bucket, long Count)> BucketSpan() => _buckets.AsSpan(0, _used);

    /// <summary>Adds one duration (negative values count as 0); the sum saturates at <see cref="long.MaxValue"/>
    /// rather than wrap (the daemon clips each duration first, but a sum over many records must not overflow either).</summary>
    /// <remarks>Inlined: it runs twice for every module of every record a daemon folds.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long ns)
    {
        ns = Math.Max(ns, 0);
        Min = Count == 0 || ns < Min ? ns : Min;
        Max = Math.Max(Max, ns);
        Count++;
        // Both are never negative, so a sum past long.MaxValue wraps negative: one test after the add.
        long sum = Sum + ns;
        Sum = sum < 0 ? long.MaxValue : sum;
        int bucket = BucketOf(ns);
        // The ranks of a job mostly land in the bucket the previous one did.
        var buckets = _buckets;
        int last = _last;
        if ((uint)last < (uint)_used && (uint)last < (uint)buckets.Length && buckets[last].Bucket == bucket)
        {
            buckets[last].Count++;
            return;
        }
        AddToBucket(bucket, 1);
    }

    /// <summary>Rebuilds a distribution as it was sent; the reader has checked the values are consistent.</summary>
    public static TimeDistribution From(long count, long sum, long min, long max, IEnumerable<(int Bucket, long Count)> buckets)
    {
        var distribution = new TimeDistribution { Count = count, Sum = sum, Min = min, Max = max };
        foreach (var (bucket, n) in buckets)
        {
            distribution.AddToBucket(bucket, n);
        }
        return distribution;
    }

    /// <summary>Rebuilds a distribution from a bucket array the reader made for it alone: taken as it is when its buckets
    /// ascend strictly (as every writer sends them), else added one by one; the reader has checked the values.</summary>
    internal static TimeDistribution FromOwned(long count, long sum, long min, long max, (int Bucket, long Count)[] buckets)
    {
        for (int i = 1; i < buckets.Length; i++)
        {
            if (buckets[i].Bucket <= buckets[i - 1].Bucket)
            {
                return From(count, sum, min, max, buckets);
            }
        }
        var distribution = new TimeDistribution { Count = count, Sum = sum, Min = min, Max = max };
        if (buckets.Length > 0)
        {
            distribution._buckets = buckets;
            distribution._used = buckets.Length;
        }
        return distribution;
    }

    /// <summary>The bucket a duration falls in.</summary>
    public static int BucketOf(long ns) => ns <= 1 ? 0 : BitOperations.Log2((ulong)ns);

    /// <summary>An estimate of the <paramref name="fraction"/> quantile: the upper edge of the bucket it falls in,
    /// clamped to the extremes (exact for one process).</summary>
    public long Quantile(double fraction)
    {
        if (Count == 0)
        {
            return 0;
        }
        long rank = (long)Math.Ceiling(Math.Clamp(fraction, 0, 1) * Count);
        long seen = 0;
        foreach (var (bucket, n) in _buckets)
        {
            seen += n;
            if (seen >= rank)
            {
                long upper = bucket >= 62 ? long.MaxValue : (2L << bucket) - 1;
                return Math.Clamp(upper, Min, Max);
            }
        }
        return Max;
    }

    private static long Saturated(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    private void AddToBucket(int bucket, long n)
    {
        if (_last < _used && _buckets[_last].Bucket == bucket)
        {
            _buckets[_last].Count = Saturated(_buckets[_last].Count, n);
            return;
        }
        int i = 0;
        while (i < _used && _buckets[i].Bucket < bucket)
        {
            i++;
        }
        if (i < _used && _buckets[i].Bucket == bucket)
        {
            _buckets[i].Count = Saturated(_buckets[i].Count, n);
        }
        else
        {
            if (_used == _buckets.Length)
            {
                Array.Resize(ref _buckets, Math.Max(2, 2 * _used));
            }
            Array.Copy(_buckets, i, _buckets, i + 1, _used - i);
            _buckets[i] = (bucket, n);
            _used++;
        }
        _last = i;
    }
}
