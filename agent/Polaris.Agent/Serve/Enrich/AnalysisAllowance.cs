using System.Diagnostics;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>How much time environment analyses may take for each user: a bucket of seconds that refills at a steady
/// rate. Past it, the user's records go on with what is already known of their environment.</summary>
/// <remarks>
/// One analysis is bounded (<see cref="EnvironmentReader.MaxTime"/>), but a user who changes their environment over
/// and over (touching <c>conda-meta/</c> is enough) would make the daemon analyse it again at every revalidation,
/// on the thread that takes in every user's records. With this bucket one user can take at most
/// <see cref="SecondsPerMinute"/> seconds a minute of it. The table is bounded like the rate limit's.
/// </remarks>
public sealed class AnalysisAllowance
{
    /// <summary>Analysis time a user earns each minute.</summary>
    public const double SecondsPerMinute = 3;

    /// <summary>Analysis time a user may spend at once.</summary>
    public const double BurstSeconds = 6;

    private const int MaxUsers = 4096;
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, (double Seconds, long At)> _buckets = [];

    /// <summary>Whether <paramref name="uid"/> has analysis time left now.</summary>
    public bool Allows(uint uid, long now)
    {
        lock (_lock)
        {
            return Refill(uid, now) > 0;
        }
    }

    /// <summary>Charges <paramref name="uid"/> for an analysis that took from <paramref name="started"/> to
    /// <paramref name="now"/> (<see cref="Stopwatch"/> timestamps).</summary>
    public void Charge(uint uid, long started, long now)
    {
        lock (_lock)
        {
            var seconds = Refill(uid, now) - (now - started) / (double)Stopwatch.Frequency;
            if (_buckets.Count >= MaxUsers && !_buckets.ContainsKey(uid))
            {
                _buckets.Clear();
            }
            _buckets[uid] = (seconds, now);
        }
    }

    private double Refill(uint uid, long now) =>
        _buckets.TryGetValue(uid, out var bucket)
            ? Math.Min(BurstSeconds, bucket.Seconds + (now - bucket.At) / (double)Stopwatch.Frequency * SecondsPerMinute / 60)
            : BurstSeconds;
}
