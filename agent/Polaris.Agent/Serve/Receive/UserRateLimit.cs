namespace Polaris.Agent.Serve.Receive;

/// <summary>A token bucket per user: each record file a user drops takes a token; tokens come back at a steady rate
/// up to a burst. Past it the user's files are dropped and counted, unread.</summary>
/// <remarks>
/// Any local user can write any files into the drop folder. Without a limit one user could make the daemon read and
/// parse without end, or inflate the counts with records of processes that never ran. The burst covers an MPI job's
/// ranks ending together on one node; the rate, a user's steady stream of short processes. The table of buckets is
/// bounded: past <see cref="MaxUsers"/> it forgets the users whose buckets are full, who lose nothing by it.
/// </remarks>
internal sealed class UserRateLimit(double recordsPerSecond, int burst)
{
    private const int MaxUsers = 65_536;
    private readonly Dictionary<uint, (double Tokens, long At)> _buckets = [];

    /// <summary>True when <paramref name="uid"/> may have one more record taken in at <paramref name="now"/> (a
    /// <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public bool TryTake(uint uid, long now)
    {
        var (tokens, at) = _buckets.TryGetValue(uid, out var bucket) ? bucket : (burst, now);
        tokens = Math.Min(burst, tokens + (now - at) * recordsPerSecond / System.Diagnostics.Stopwatch.Frequency);
        bool allowed = tokens >= 1;
        if (_buckets.Count >= MaxUsers && !_buckets.ContainsKey(uid))
        {
            Forget(now);
        }
        _buckets[uid] = (allowed ? tokens - 1 : tokens, now);
        return allowed;
    }

    private void Forget(long now)
    {
        foreach (var (uid, (tokens, at)) in _buckets)
        {
            if (tokens + (now - at) * recordsPerSecond / System.Diagnostics.Stopwatch.Frequency >= burst)
            {
                _buckets.Remove(uid);
            }
        }
    }
}
