using Polaris.Wire;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Records whose enrichment must ask the disk (an environment not checked lately, a job's node file not read
/// yet) wait here and are enriched on a thread of their own, so that the receive thread, which takes in every user's
/// records, never waits on what one user's record points at.</summary>
/// <remarks>
/// A record names its environment and node file, and a user can make them slow to read: before, one user's
/// <c>conda-meta/</c> stalled every user's records for 33 s. Here users take turns, one record each, so one user's
/// slow environments delay another user's first record by one analysis at most (itself bounded by
/// <see cref="Enrich.EnvironmentReader.MaxTime"/>, and each user's total by <see cref="Enrich.AnalysisAllowance"/>).
///
/// What waits is bounded by what its records hold in memory (<see cref="Charge"/>), per user and in all. Past either
/// bound the record is not taken: its file stays in the drop folder (<see cref="PutOffFiles"/>) and is read again
/// when its user has room, so nothing is lost and memory stays bounded. A file whose record waits here is not read
/// again meanwhile (<see cref="Holds"/>): a second close or a rescan of the folder would count it twice. The thread
/// sleeps while nothing waits.
/// </remarks>
public sealed class EnrichQueue : IDisposable
{
    /// <summary>What one user's waiting records may hold, in bytes (<see cref="Charge"/>).</summary>
    public const long MaxUserBytes = 2L * 1024 * 1024;

    /// <summary>What all users' waiting records may hold, in bytes.</summary>
    public const long MaxBytes = 8L * 1024 * 1024;

    // What a parsed module or shared object holds at most beyond its file's bytes (the entry, its import times); a
    // forged record of 4-byte module columns parses to many times its file's size.
    private const int BytesPerEntry = 64;

    private readonly Func<ProcessRecord, string, ReceivedRecord> _enrich;
    private readonly Action<ReceivedRecord> _forward;
    private readonly Action<Exception, string> _failed;
    // An object, not a Lock: the thread sleeps on it with Monitor.Wait.
    private readonly object _lock = new();
    private readonly Dictionary<uint, Queue<Waiting>> _byUser = [];
    // Users with records waiting, in turn order; each appears once.
    private readonly Queue<uint> _turns = new();
    private readonly Dictionary<uint, long> _userBytes = [];
    private readonly HashSet<string> _dropFiles = new(StringComparer.Ordinal);
    private long _bytes;
    // The drop file whose record the thread enriches now: it cannot be taken back.
    private string? _current;
    private volatile int _count;
    private bool _stopped;
    private Thread? _thread;

    /// <param name="enrich">Enriches a record (reading the disk as needed) into what goes on; the drop file is given along.</param>
    /// <param name="forward">Passes an enriched record on; may block (back-pressure) until the daemon stops.</param>
    /// <param name="failed">Told of anything unexpected that <paramref name="enrich"/> or <paramref name="forward"/> threw,
    /// with the record's drop file.</param>
    public EnrichQueue(Func<ProcessRecord, string, ReceivedRecord> enrich, Action<ReceivedRecord> forward, Action<Exception, string> failed)
    {
        _enrich = enrich;
        _forward = forward;
        _failed = failed;
    }

    /// <summary>Records waiting or being enriched now.</summary>
    public int Count => _count;

    /// <summary>What a record read from a file of <paramref name="fileBytes"/> is charged while it waits: the file's
    /// bytes, and a bound of what its modules and shared objects hold beyond them.</summary>
    public static long Charge(long fileBytes, ProcessRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return fileBytes + (long)BytesPerEntry * (record.Modules.Count + record.SharedObjects.Count);
    }

    /// <summary>Whether the record of <paramref name="dropFile"/> waits here or is being enriched.</summary>
    public bool Holds(string dropFile)
    {
        lock (_lock)
        {
            return _dropFiles.Contains(dropFile);
        }
    }

    /// <summary>Whether a record of <paramref name="owner"/> charged <paramref name="bytes"/> would be taken now.</summary>
    public bool HasRoom(uint owner, long bytes)
    {
        lock (_lock)
        {
            return Fits(owner, bytes);
        }
    }

    // A record always fits where nothing waits, however large: no file is put off forever.
    private bool Fits(uint owner, long bytes)
    {
        long userBytes = _userBytes.GetValueOrDefault(owner);
        return !(userBytes > 0 && userBytes + bytes > MaxUserBytes) && !(_bytes > 0 && _bytes + bytes > MaxBytes);
    }

    public void Start()
    {
        _thread = new Thread(Run) { Name = "polaris-enrich", IsBackground = true };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="record"/> of <paramref name="owner"/>, charged <paramref name="bytes"/>
    /// (<see cref="Charge"/>); false when that would pass the user's or the total bound (the caller leaves the file
    /// for later). <paramref name="state"/> goes along with the enriched record.</summary>
    public bool TryAdd(uint owner, long bytes, ProcessRecord record, string dropFile, RecordState state = RecordState.Final)
    {
        lock (_lock)
        {
            if (!Fits(owner, bytes) || !_dropFiles.Add(dropFile))
            {
                return false;
            }
            if (!_byUser.TryGetValue(owner, out var queue))
            {
                _byUser[owner] = queue = new Queue<Waiting>();
                _turns.Enqueue(owner);
            }
            queue.Enqueue(new Waiting(record, dropFile, bytes, state));
            _userBytes[owner] = _userBytes.GetValueOrDefault(owner) + bytes;
            _bytes += bytes;
            _count++;
            Monitor.Pulse(_lock);
            return true;
        }
    }

    /// <summary>Takes back the record of <paramref name="dropFile"/> if it waits, so that the file can be read afresh (a
    /// running process's record, whose process has ended since); false while the thread enriches it: it is passed on
    /// in a moment, and the caller reads the file after that.</summary>
    public bool TryRemove(string dropFile)
    {
        lock (_lock)
        {
            if (!_dropFiles.Contains(dropFile))
            {
                return true;
            }
            if (_current == dropFile)
            {
                return false;
            }
            foreach (var (owner, queue) in _byUser)
            {
                if (queue.FirstOrDefault(w => w.DropFile == dropFile) is not { } waiting)
                {
                    continue;
                }
                var kept = queue.Where(w => w != waiting).ToArray();
                queue.Clear();
                foreach (var other in kept)
                {
                    queue.Enqueue(other);
                }
                if (queue.Count == 0)
                {
                    _byUser.Remove(owner);
                    var turns = _turns.Where(t => t != owner).ToArray();
                    _turns.Clear();
                    foreach (var turn in turns)
                    {
                        _turns.Enqueue(turn);
                    }
                }
                Release(owner, waiting);
                ImportTimePool.Return(waiting.Record.Times);
                return true;
            }
            return false;
        }
    }

    /// <summary>Stops the thread; what still waits is dropped from memory, its files stay for the next start.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            Monitor.PulseAll(_lock);
        }
        _thread?.Join();
    }

    public void Dispose() => Stop();

    private void Run()
    {
        while (Next() is { } next)
        {
            var (owner, waiting) = next;
            try
            {
                _forward(_enrich(waiting.Record, waiting.DropFile) with { State = waiting.State });
            }
            catch (OperationCanceledException)
            {
                return; // stopping: the file stays for the next start
            }
            catch (Exception e)
            {
                Fail(e, waiting.DropFile);
            }
            finally
            {
                Done(owner, waiting);
            }
        }
    }

    /// <summary>The next user's oldest record, or null once stopped.</summary>
    private (uint Owner, Waiting Waiting)? Next()
    {
        lock (_lock)
        {
            while (_turns.Count == 0 && !_stopped)
            {
                Monitor.Wait(_lock);
            }
            if (_stopped)
            {
                return null;
            }
            uint owner = _turns.Dequeue();
            var queue = _byUser[owner];
            var waiting = queue.Dequeue();
            _current = waiting.DropFile;
            if (queue.Count > 0)
            {
                _turns.Enqueue(owner); // to the back: every other user waiting goes first
            }
            else
            {
                _byUser.Remove(owner);
            }
            return (owner, waiting);
        }
    }

    // The thread outlives whatever the failure handler throws.
    private void Fail(Exception e, string dropFile)
    {
        try
        {
            _failed(e, dropFile);
        }
        catch (Exception)
        {
            // nothing left to tell
        }
    }

    private void Done(uint owner, Waiting waiting)
    {
        lock (_lock)
        {
            _current = null;
            Release(owner, waiting);
        }
    }

    // Under the lock: the record no longer waits, nor counts against its user.
    private void Release(uint owner, Waiting waiting)
    {
        long bytes = waiting.Bytes;
        _dropFiles.Remove(waiting.DropFile);
        _bytes -= bytes;
        _count--;
        long left = _userBytes[owner] - bytes;
        if (left > 0)
        {
            _userBytes[owner] = left;
        }
        else
        {
            _userBytes.Remove(owner);
        }
    }

    private sealed record Waiting(ProcessRecord Record, string DropFile, long Bytes, RecordState State);
}
