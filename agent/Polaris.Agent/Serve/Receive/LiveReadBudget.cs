namespace Polaris.Agent.Serve.Receive;

/// <summary>What reading running processes' record files may cost each user: a token bucket per user, a read taking
/// one token and one more per MiB of the file.</summary>
/// <remarks>
/// Every live read parses a whole file that its owner chose; a user who keeps thousands of files open and growing
/// would otherwise have the receive thread, which takes in every user's records, read them without end. The burst
/// covers the ranks of a large job read together; the rate, each of a thousand files read again once a minute. A read
/// past the budget is put off until the bucket has the tokens, and counted. Used by the receive thread only.
/// </remarks>
internal sealed class LiveReadBudget
{
    /// <summary>Tokens a user gets back per second.</summary>
    public const double ReadsPerSecond = 20;

    /// <summary>Tokens a user may spend at once.</summary>
    public const double Burst = 2048;

    private const long BytesPerToken = 1024 * 1024;
    private const int MaxUsers = 65_536;
    private readonly Dictionary<uint, (double Tokens, long At)> _buckets = [];

    /// <summary>Takes the tokens of a read of <paramref name="bytes"/> for <paramref name="uid"/> at <paramref name="now"/>
    /// (a <see cref="System.Diagnostics.Stopwatch"/> timestamp); false, with how long until the user has them, when not.</summary>
    public bool TryTake(uint uid, long bytes, long now, out int waitMs)
    {
        double cost = 1 + (bytes / BytesPerToken);
        var (tokens, at) = _buckets.TryGetValue(uid, out var bucket) ? bucket : (Burst, now);
        tokens = Math.Min(Burst, tokens + ((now - at) * ReadsPerSecond / System.Diagnostics.Stopwatch.Frequency));
        if (_buckets.Count >= MaxUsers && !_buckets.ContainsKey(uid))
        {
            _buckets.Clear(); // only real file owners have buckets: a node never has this many users
        }
        bool allowed = tokens >= cost;
        _buckets[uid] = (allowed ? tokens - cost : tokens, now);
        waitMs = allowed ? 0 : (int)Math.Ceiling((cost - tokens) * 1000 / ReadsPerSecond);
        return allowed;
    }
}
