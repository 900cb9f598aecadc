namespace Polaris.Agent.Serve.Receive;

/// <summary>Record files of processes that may run long, and when each is to be read while its writer runs.</summary>
/// <remarks>
/// A file is followed from its creation (IN_CREATE: the hook creates it with its first frame) and read once it has
/// been open for <c>liveAfterMs</c>: most processes end first, and their files then cost a table entry, not a read.
/// After a read nothing is due: the file is read again only after it grew (its watch's one event, <see cref="Grew"/>),
/// a summary window after the read before. So a process that imports and then sleeps for hours costs one read and no
/// timer, and the daemon wakes for a followed file only when that file is due.
///
/// First reads come due in creation order (a queue); reads again and reads put off, in any order (a heap). Entries a
/// change made stale stay in either until they come up, and are skipped then. At most <see cref="MaxFilesPerUser"/>
/// files of one owner and <see cref="MaxFiles"/> in all are followed, so that a user who keeps thousands of files open
/// cannot take the table from the others; a file past either is taken in at its close as ever. Used by the receive
/// thread only.
/// </remarks>
internal sealed class LiveFiles(long liveAfterMs, long windowMs)
{
    /// <summary>Files followed at once: many times the Python processes a node runs, and one inotify watch each.</summary>
    public const int MaxFiles = 65_536;

    /// <summary>Files of one owner followed at once: more ranks than a node has cores.</summary>
    public const int MaxFilesPerUser = 4096;

    private readonly Dictionary<string, Entry> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, int> _perUser = [];
    private readonly Queue<(string Name, long Due)> _first = new();
    private readonly PriorityQueue<string, long> _later = new();

    /// <param name="DueMs">When it is to be read (<see cref="long.MaxValue"/>: not before it grows).</param>
    /// <param name="ReadAtMs">When it was last read while its writer ran; 0: never.</param>
    /// <param name="Length">Its length then.</param>
    /// <param name="Owner">Its owner when it appeared.</param>
    private readonly record struct Entry(long DueMs, long ReadAtMs, long Length, uint Owner);

    /// <summary>False when <c>liveAfterMs</c> is 0: only records of ended processes are read.</summary>
    public bool Enabled => liveAfterMs > 0;

    public int Count => _files.Count;

    /// <summary>A record file of <paramref name="owner"/> appeared at <paramref name="nowMs"/>: read it
    /// <c>liveAfterMs</c> later unless it closes first. False when as many files of the owner, or in all, are followed
    /// as may be.</summary>
    public bool Created(string name, uint owner, long nowMs)
    {
        if (!Enabled)
        {
            return true;
        }
        Forget(name); // a name made again is another file
        int owned = _perUser.GetValueOrDefault(owner);
        if (_files.Count >= MaxFiles || owned >= MaxFilesPerUser)
        {
            return false;
        }
        long due = nowMs + liveAfterMs;
        _files[name] = new Entry(due, 0, -1, owner);
        _perUser[owner] = owned + 1;
        _first.Enqueue((name, due));
        return true;
    }

    /// <summary>Whether the file was read while its writer ran: its process is in a live summary.</summary>
    public bool WasRead(string name) => _files.TryGetValue(name, out var entry) && entry.ReadAtMs != 0;

    /// <summary>Whether a file of <paramref name="owner"/> read at <paramref name="nowMs"/> for another reason (listing
    /// the folder, a close that did not end it) and found running goes to a live summary now: it was not followed (its
    /// age is unknown: it was there before the daemon, or its creation was lost) and may be, or its read is due.</summary>
    public bool MayReadNow(string name, uint owner, long nowMs) =>
        Enabled && (_files.TryGetValue(name, out var entry)
            ? entry.DueMs <= nowMs
            : _files.Count < MaxFiles && _perUser.GetValueOrDefault(owner) < MaxFilesPerUser);

    /// <summary>The length the file had when last read while its writer ran; -1: never read.</summary>
    public long LengthOf(string name) => _files.TryGetValue(name, out var entry) ? entry.Length : -1;

    /// <summary>Read at <paramref name="nowMs"/>, <paramref name="length"/> bytes, of <paramref name="owner"/>: nothing
    /// is due until it grows. A file not followed yet (found running when listing the folder) is followed from now.</summary>
    public void Read(string name, uint owner, long nowMs, long length)
    {
        if (!_files.ContainsKey(name))
        {
            _perUser[owner] = _perUser.GetValueOrDefault(owner) + 1;
        }
        else
        {
            owner = _files[name].Owner;
        }
        _files[name] = new Entry(long.MaxValue, nowMs, length, owner);
    }

    /// <summary>The file was written to since its last read: read it again a window after that read, and not sooner
    /// than <c>liveAfterMs</c> from now, so that a burst of frames is read at once.</summary>
    public void Grew(string name, long nowMs)
    {
        if (_files.TryGetValue(name, out var entry) && entry.ReadAtMs != 0 && entry.DueMs == long.MaxValue)
        {
            Schedule(name, entry, Math.Max(entry.ReadAtMs + windowMs, nowMs + liveAfterMs));
        }
    }

    /// <summary>A read that could not be made now is due again at <paramref name="dueMs"/>.</summary>
    public void PutOff(string name, long dueMs)
    {
        if (_files.TryGetValue(name, out var entry))
        {
            Schedule(name, entry, dueMs);
        }
    }

    /// <summary>Reads no more while the writer runs (it ended, or its file is left to its close); the file stays known
    /// as read, if it was.</summary>
    public void Stop(string name)
    {
        if (_files.TryGetValue(name, out var entry))
        {
            _files[name] = entry with { DueMs = long.MaxValue };
        }
    }

    /// <summary>Forgets a file taken in (its writer closed it) or removed.</summary>
    public void Forget(string name)
    {
        if (_files.Remove(name, out var entry))
        {
            int left = _perUser[entry.Owner] - 1;
            if (left > 0)
            {
                _perUser[entry.Owner] = left;
            }
            else
            {
                _perUser.Remove(entry.Owner);
            }
        }
    }

    /// <summary>The files due at <paramref name="nowMs"/>; none is due again until the caller says when.</summary>
    public List<string> Due(long nowMs)
    {
        var due = new List<string>();
        while (_first.TryPeek(out var head) && head.Due <= nowMs)
        {
            _first.Dequeue();
            Take(head.Name, head.Due, due);
        }
        while (_later.TryPeek(out var name, out long at) && at <= nowMs)
        {
            _later.Dequeue();
            Take(name, at, due);
        }
        return due;
    }

    /// <summary>Milliseconds until the next read is due (0: now), or -1 when none is.</summary>
    public int TimeoutMs(long nowMs)
    {
        while (_first.TryPeek(out var head) && !IsCurrent(head.Name, head.Due))
        {
            _first.Dequeue();
        }
        while (_later.TryPeek(out var name, out long at) && !IsCurrent(name, at))
        {
            _later.Dequeue();
        }
        long next = Math.Min(_first.TryPeek(out var first) ? first.Due : long.MaxValue, _later.TryPeek(out _, out long later) ? later : long.MaxValue);
        return next == long.MaxValue ? -1 : (int)Math.Clamp(next - nowMs, 0, int.MaxValue);
    }

    private bool IsCurrent(string name, long due) => _files.TryGetValue(name, out var entry) && entry.DueMs == due;

    private void Take(string name, long due, List<string> into)
    {
        if (IsCurrent(name, due))
        {
            _files[name] = _files[name] with { DueMs = long.MaxValue };
            into.Add(name);
        }
    }

    private void Schedule(string name, Entry entry, long dueMs)
    {
        _files[name] = entry with { DueMs = dueMs };
        _later.Enqueue(name, dueMs);
    }
}
