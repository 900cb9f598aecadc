namespace Polaris.Agent.Serve.Receive;

/// <summary>Record files whose writer still ran when they were last read, and when to look at each again.</summary>
/// <remarks>
/// A file waits for its writer's next close or its writer's end. A close is an inotify event; an end is not, so
/// each file is looked at again on its own schedule: soon after it was last read (a killed writer's files are
/// closed while it is still exiting, and it is gone a moment later), then less and less often, up to
/// <see cref="LastRecheckMs"/>. Looking again is a check of the writer in /proc, not a read of the file: the file is
/// read again only after a close that made it longer, or once the writer has ended. So what a file costs does not
/// grow with how many others wait: thousands of empty files named after a user's running process cost one /proc
/// look each every ten seconds, not a read of all of them at every event.
///
/// What waits counts against its owner: at most <see cref="MaxBytesPerUser"/> of a user's files wait at once, so a
/// user cannot fill the drop folder's file system (which the spool shares by default) with files that stay open.
/// Used by the receive thread only.
/// </remarks>
internal sealed class WaitingFiles
{
    /// <summary>The first look after a read that found the writer running.</summary>
    public const int FirstRecheckMs = 50;

    /// <summary>The longest time between two looks.</summary>
    public const int LastRecheckMs = 10_000;

    /// <summary>Bytes of one user's files that may wait at once: 256 ranks of a job with records of 1 MiB.</summary>
    public const long MaxBytesPerUser = 256L * 1024 * 1024;

    private readonly Dictionary<string, Entry> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, long> _bytesByUser = [];
    // Due times, with stale entries skipped when they come up: a file rescheduled leaves its old entry behind.
    private readonly PriorityQueue<string, long> _due = new();

    private readonly record struct Entry(RecordFileName Claim, uint Owner, long Length, long DueMs, int IntervalMs);

    public int Count => _files.Count;

    /// <summary>The length the file had when last read, or -1 when it does not wait.</summary>
    public long LengthOf(string name) => _files.TryGetValue(name, out var entry) ? entry.Length : -1;

    /// <summary>Notes that <paramref name="name"/>, of <paramref name="owner"/>, was read (<paramref name="length"/>
    /// bytes) while its writer ran: looked at again soon. False, and not noted, when the owner's waiting files would
    /// pass <see cref="MaxBytesPerUser"/>.</summary>
    public bool Wait(string name, RecordFileName claim, uint owner, long length, long nowMs)
    {
        Remove(name);
        long bytes = _bytesByUser.GetValueOrDefault(owner);
        if (bytes + length > MaxBytesPerUser)
        {
            return false;
        }
        _bytesByUser[owner] = bytes + length;
        Schedule(name, new Entry(claim, owner, length, 0, FirstRecheckMs), nowMs);
        return true;
    }

    /// <summary>Forgets a file taken in or removed.</summary>
    public void Remove(string name)
    {
        if (_files.Remove(name, out var entry))
        {
            long left = _bytesByUser[entry.Owner] - entry.Length;
            if (left > 0)
            {
                _bytesByUser[entry.Owner] = left;
            }
            else
            {
                _bytesByUser.Remove(entry.Owner);
            }
        }
    }

    /// <summary>The owner of a waiting file (0 when it does not wait).</summary>
    public uint OwnerOf(string name) => _files.TryGetValue(name, out var entry) ? entry.Owner : 0;

    /// <summary>Bytes of <paramref name="owner"/>'s files waiting now.</summary>
    public long BytesOf(uint owner) => _bytesByUser.GetValueOrDefault(owner);

    /// <summary>Milliseconds until the next look is due (0: now), or -1 when nothing waits.</summary>
    public int TimeoutMs(long nowMs)
    {
        while (_due.TryPeek(out var name, out var due))
        {
            if (_files.TryGetValue(name, out var entry) && entry.DueMs == due)
            {
                return (int)Math.Clamp(due - nowMs, 0, LastRecheckMs);
            }
            _due.Dequeue();
        }
        return -1;
    }

    /// <summary>The files due for a look, each with its claim; the caller checks the writer and then either takes the
    /// file in (<see cref="Remove"/>, or <see cref="Wait"/> after a read) or calls <see cref="Again"/>.</summary>
    public List<(string Name, RecordFileName Claim)> Due(long nowMs)
    {
        var due = new List<(string, RecordFileName)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (_due.TryPeek(out var name, out var at) && at <= nowMs)
        {
            _due.Dequeue();
            if (_files.TryGetValue(name, out var entry) && entry.DueMs == at && seen.Add(name))
            {
                due.Add((name, entry.Claim));
            }
        }
        return due;
    }

    /// <summary>The writer still runs: look again after twice the last wait, at most <see cref="LastRecheckMs"/>.</summary>
    public void Again(string name, long nowMs)
    {
        if (_files.TryGetValue(name, out var entry))
        {
            Schedule(name, entry with { IntervalMs = Math.Min(LastRecheckMs, entry.IntervalMs * 2) }, nowMs);
        }
    }

    private void Schedule(string name, Entry entry, long nowMs)
    {
        entry = entry with { DueMs = nowMs + entry.IntervalMs };
        _files[name] = entry;
        _due.Enqueue(name, entry.DueMs);
    }
}
