namespace Polaris.Agent.Serve.Ship;

/// <summary>Exponential backoff with full jitter, so a thousand nodes do not retry in step after an outage.</summary>
public sealed class Backoff(TimeSpan initial, TimeSpan maximum)
{
    private int _failures;

    public void Reset() => _failures = 0;

    /// <summary>The wait before the next attempt, after one more failure.</summary>
    public TimeSpan Next()
    {
        _failures = Math.Min(_failures + 1, 30);
        var ceiling = Math.Min(maximum.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, _failures - 1));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + Random.Shared.NextDouble() / 2));
    }
}
