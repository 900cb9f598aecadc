namespace Polaris.Agent.Serve.Ship;

/// <summary>When to try again a batch that was set aside (under <c>deferred/</c>) because it kept failing while the
/// collector took the batches behind it, and when to give it up.</summary>
/// <remarks>
/// Such a batch is retried on its own, slower schedule, so it never holds back the queue: first after
/// <see cref="FirstWait"/>, each wait twice the last up to <see cref="LongestWait"/>. After <see cref="Attempts"/>
/// failures it goes to <c>rejected/</c> for a person to look at (about three hours). Failures count only while the
/// collector accepts other batches: an outage is not this batch's fault. The schedule lives in memory: a restart
/// gives a deferred batch its attempts again, which the spool's age bound still ends. Used by the shipper's task only.
/// </remarks>
public sealed class DeferredRetry
{
    /// <summary>Wait before the first retry of a batch set aside.</summary>
    public static readonly TimeSpan FirstWait = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between two retries.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    /// <summary>Failed retries after which a deferred batch is given up (moved to <c>rejected/</c>).</summary>
    public const int Attempts = 8;

    private readonly Dictionary<string, (int Failures, DateTimeOffset Due)> _schedule = new(StringComparer.Ordinal);

    /// <summary>Whether the batch <paramref name="key"/> is due for a retry; a batch not met before (set aside by an
    /// earlier run) starts its schedule now.</summary>
    public bool IsDue(string key, DateTimeOffset now)
    {
        if (!_schedule.TryGetValue(key, out var entry))
        {
            _schedule[key] = (0, now + FirstWait);
            return false;
        }
        return now >= entry.Due;
    }

    /// <summary>Counts a failed retry; true when the batch is to be given up.</summary>
    public bool Failed(string key, DateTimeOffset now)
    {
        var failures = (_schedule.TryGetValue(key, out var entry) ? entry.Failures : 0) + 1;
        if (failures >= Attempts)
        {
            _schedule.Remove(key);
            return true;
        }
        var wait = TimeSpan.FromTicks(Math.Min(LongestWait.Ticks, FirstWait.Ticks << Math.Min(failures, 20)));
        _schedule[key] = (failures, now + wait);
        return false;
    }

    /// <summary>A retry that failed for want of a collector: the same wait again, not counted.</summary>
    public void Postpone(string key, DateTimeOffset now)
    {
        var failures = _schedule.TryGetValue(key, out var entry) ? entry.Failures : 0;
        _schedule[key] = (failures, now + FirstWait);
    }

    /// <summary>Forgets every batch not in <paramref name="present"/> (delivered, given up or trimmed), so the
    /// schedule holds no more entries than the deferred folder holds files.</summary>
    public void Retain(IReadOnlyCollection<string> present)
    {
        foreach (var key in _schedule.Keys.Where(k => !present.Contains(k)).ToArray())
        {
            _schedule.Remove(key);
        }
    }

    /// <summary>When the next retry is due; null when no batch waits.</summary>
    public DateTimeOffset? NextDue => _schedule.Count == 0 ? null : _schedule.Values.Min(e => e.Due);
}
