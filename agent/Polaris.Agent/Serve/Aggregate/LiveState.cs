using Polaris.Wire;

namespace Polaris.Agent.Serve.Aggregate;

/// <summary>What makes an <see cref="OpenSummary"/> live: its id, the version last shipped, the members still running
/// (their records are read again), and when the next version is due.</summary>
/// <remarks>A live summary ships a new version when something changed, at most once per summary window, and its
/// last one once every member has ended and the quiet time passed; while nothing changes, it asks for no wake.</remarks>
/// <param name="sid">Its id (<c>sid</c>), from <see cref="Spool.BatchSpool.NewKey"/>: unique beyond this run.</param>
/// <param name="version">The version shipped last (0: none yet).</param>
public sealed class LiveState(string sid, uint version)
{
    /// <summary>The summary's id.</summary>
    public string Sid { get; } = sid;

    /// <summary>The version shipped last; the next is one more.</summary>
    public uint Version { get; set; } = version;

    /// <summary>Members whose latest record was read while they ran, by drop file: the index of their row, and what
    /// the summary counted of them.</summary>
    public Dictionary<string, (int Index, FoldedMember Folded)> Running { get; } = new(StringComparer.Ordinal);

    /// <summary>When something changed that no version shipped yet shows (<see cref="Environment.TickCount64"/> ms); null
    /// when the last version shows everything.</summary>
    public long? ChangedAt { get; private set; }

    /// <summary>When the last version was spooled; null before the first.</summary>
    public long? ShippedAt { get; private set; }

    /// <summary>Notes a change at <paramref name="now"/>: a member joined, was read again or ended.</summary>
    public void Changed(long now) => ChangedAt ??= now;

    /// <summary>Notes that a version showing every change so far goes out at <paramref name="now"/>.</summary>
    public void Shipped(long now)
    {
        ChangedAt = null;
        ShippedAt = now;
    }

    /// <summary>When the next version is due (<see cref="long.MaxValue"/>: none while nothing changes): the last once
    /// every member ended and <paramref name="quiet"/> passed since <paramref name="lastAddedAt"/>; before, once the
    /// members read together have all come (the quiet time) yet within the window of their files' first writes, and
    /// never sooner than a window after the version before.</summary>
    public long DueAt(long lastAddedAt, long quiet, long window, long liveAfter)
    {
        if (Running.Count == 0)
        {
            return lastAddedAt + quiet;
        }
        if (ChangedAt is not { } changed)
        {
            return long.MaxValue;
        }
        // A member is read liveAfter after its file's first write: the window counts from that write.
        long soonest = Math.Min(lastAddedAt + quiet, changed + window - liveAfter);
        return ShippedAt is { } shipped ? Math.Max(shipped + window, soonest) : soonest;
    }
}
