using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polaris.Agent.Native;

namespace Polaris.Agent.Serve.Receive;

/// <summary>The receive stage: takes in record files from the drop directory as their writers close them.</summary>
/// <remarks>
/// The hook writes its record to <c>DROP/PID.START.rec</c> and closes it at exit; the kernel closes it for a
/// killed process. Either way inotify reports IN_CLOSE_WRITE and the record is read here, attributed to the
/// file's owner. A file whose writer still runs (a forked child closed its inherited copy) waits for the next
/// close or the writer's end (<see cref="WaitingFiles"/>). Files left while the daemon was down are taken in at
/// start. A file is removed only after its record is spooled (<see cref="Aggregate.RecordAggregator"/>). A file open
/// and written to for <see cref="AgentOptions.LiveAfter"/> is also read while its writer runs (DropWatcher.Live.cs).
///
/// Everything else is removed as soon as it appears, counted: names that are not records (<c>.tmp</c> files, a
/// 'fill' file, names that are not UTF-8), and entries that are not one plain file (folders, sockets, FIFOs,
/// symlinks, hard links), which get no close event and would otherwise stay until a restart. Whatever a file makes
/// go wrong, the thread goes on: an unexpected exception costs that file only (<c>dropped_failed</c>), never the
/// daemon.
/// </remarks>
public sealed partial class DropWatcher(
    AgentOptions options,
    ChannelWriter<ReceivedRecord> records,
    UserDirectory users,
    Enrich.RecordEnricher enricher,
    AgentCounters counters,
    ILogger<DropWatcher> logger) : IHostedService, IDisposable
{
    private const UnixFileMode DropMode =
        UnixFileMode.StickyBit | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly string _host = Environment.MachineName;
    // Only while some files wait for a live writer do we wake up on our own, to look at them again.
    private readonly WaitingFiles _waiting = new();
    // Records whose enrichment reads the disk go to a thread of their own; files past a user's share of it wait here.
    private readonly PutOffFiles _putOff = new();
    private EnrichQueue? _enrichQueue;
    // True while put-off files are taken in again: those may pass the user's later put-off files.
    private bool _retaking;
    private readonly HashSet<string> _failureKinds = new(StringComparer.Ordinal);
    private readonly UserRateLimit _rateLimit = new(options.UserRecordsPerSecond, options.UserRecordBurst);
    private readonly HashSet<string> _admitted = new(StringComparer.Ordinal);
    // One buffer for every file read: records are parsed into objects before the next is read.
    private byte[] _buffer = new byte[64 * 1024];
    // Replaced after a large file (LargeRecordMemory): what a forged record left in them goes with it.
    private ReaderCaches _caches = new();
    // When the memory of the last large file's summary goes back (Environment.TickCount64 ms); 0: none to give back.
    private long _releaseDueMs;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CreationWitness _witnesses = new();
    private Inotify? _inotify;
    // Files are opened relative to the folder: the kernel then looks up one name, not the whole path.
    private Microsoft.Win32.SafeHandles.SafeFileHandle? _folder;
    private readonly YoungGenerationBound _youngGeneration = new();
    private Thread? _thread;
    private readonly TaskCompletionSource _listed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the files already in the drop at start were listed: a file made after it is known to
    /// be new (its creation is seen), one made before may be read as of unknown age.</summary>
    internal Task Listed => _listed.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        counters.Attach(() => enricher.EnvironmentsLimited, () => enricher.OriginsLimited);
        // Mode 1733: every user may create files, none may list or remove another's. Set through the open folder,
        // never a name: a drop path that is a symlink would have its target's mode changed.
        if (Native.FileStatus.Of(options.Drop) is { IsDirectory: false })
        {
            throw new IOException($"setting 'drop': {options.Drop} exists and is not a folder (a symlink is not followed)");
        }
        Directory.CreateDirectory(options.Drop);
        _folder = RegularFile.OpenFolder(options.Drop, out int error)
            ?? throw new IOException($"cannot open the drop folder {options.Drop} (errno {error})");
        RegularFile.SetMode(_folder, DropMode);
        _inotify = new Inotify(options.Drop);
        _enrichQueue = new EnrichQueue(EnrichReading, received =>
        {
            Forward(received);
            if (received.State == RecordState.Final)
            {
                counters.RecordReceived(); // a running process's record counts in live_reads
            }
        }, Failed);
        _enrichQueue.Start();
        _thread = new Thread(Run) { Name = "polaris-drop", IsBackground = true };
        _thread.Start();
        LogMessages.Watching(logger, options.Drop);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        _inotify?.Stop();
        _thread?.Join();
        _enrichQueue?.Stop();
        return Task.CompletedTask;
    }

    private void Run()
    {
        var inotify = _inotify!;
        Guard("listing", TakeAll);
        _listed.TrySetResult();
        ReleaseLargeRecord();
        while (inotify.Wait(TimeoutMs(NowMs()), out bool overflowed) is { } names)
        {
            Guard("waking", () =>
            {
                if (overflowed)
                {
                    TakeAll();
                    return;
                }
                foreach (var (name, happened) in names)
                {
                    switch (happened)
                    {
                        case FileEvent.Created: Created(name); break;
                        case FileEvent.Written: _live.Grew(name, NowMs()); break;
                        default: Take(name); break;
                    }
                }
                LookAgain();
                ReadLiveDue();
                TakeRetakes();
                TakePutOff();
                ReleaseLargeRecord();
            });
        }
    }

    /// <summary>How long the next wait may last: until a waiting file is due, or the memory of a large file is to go back.</summary>
    private int TimeoutMs(long now)
    {
        int release = _releaseDueMs == 0 ? -1 : (int)Math.Clamp(_releaseDueMs - now, 0, int.MaxValue);
        int live = _live.Count == 0 ? -1 : _live.TimeoutMs(now);
        int retakes = _retakes.Count == 0 ? -1 : PutOffFiles.RecheckMs;
        return Earliest(Earliest(Earliest(_waiting.TimeoutMs(now), _putOff.TimeoutMs), release), Earliest(live, retakes));
    }

    // Of two timeouts where -1 is none, the one that comes first.
    private static int Earliest(int a, int b) => a < 0 ? b : b < 0 ? a : Math.Min(a, b);

    /// <summary>Takes in the put-off files of users who have room again in the enrichment queue.</summary>
    private void TakePutOff()
    {
        if (_putOff.Count == 0)
        {
            return;
        }
        _retaking = true;
        try
        {
            _putOff.TakeWithRoom(_enrichQueue!.HasRoom, name =>
            {
                Take(name);
                return !_putOff.Contains(name);
            });
        }
        finally
        {
            _retaking = false;
        }
    }

    /// <summary>After a wake that read a large file, the buffer and the reading caches start afresh and the memory goes
    /// back; once more a while later, when the file's summary has been spooled (see <see cref="LargeRecordMemory"/>).</summary>
    private void ReleaseLargeRecord()
    {
        long now = NowMs();
        if (_buffer.Length > LargeRecordMemory.LargeBytes)
        {
            _caches = new ReaderCaches();
            LargeRecordMemory.Release(ref _buffer);
            _releaseDueMs = now + LargeRecordMemory.ReleaseAgainAfterMs;
        }
        else if (_releaseDueMs != 0 && now >= _releaseDueMs)
        {
            LargeRecordMemory.Collect();
            _releaseDueMs = 0;
        }
    }

    /// <summary>Runs a step of the thread's own that no file is to blame for, so that nothing it throws ends the thread.</summary>
    private void Guard(string kind, Action step)
    {
        try
        {
            step();
        }
        catch (Exception e)
        {
            NoteFailure(kind, e);
        }
    }

    /// <summary>Counts a failure; logs the first of each kind only, so a user who can make one cannot flood the log.</summary>
    private void NoteFailure(string kind, Exception e)
    {
        counters.Failed();
        var key = kind + ": " + e.GetType().FullName;
        bool first;
        lock (_failureKinds) // the enrichment thread's failures come here too
        {
            first = _failureKinds.Count < 256 && _failureKinds.Add(key);
        }
        if (first)
        {
            LogMessages.ReceiveFailed(logger, key, e.Message);
        }
    }

    /// <summary>A new entry: a record file is witnessed (its writer runs now); anything that can never be one goes at once.</summary>
    private void Created(string name)
    {
        if (RecordFileName.Parse(name) is null)
        {
            Take(name);
            return;
        }
        // No close event will come for a folder, socket, FIFO, symlink or a second name of a file.
        var status = RegularFile.StatusIn(_folder!, name);
        if (status is { } entry && (!entry.IsRegularFile || entry.Links > 1))
        {
            Take(name);
            return;
        }
        _witnesses.Witness(name);
        if (status is { } file && !_live.Created(name, file.Uid, NowMs()))
        {
            counters.LivePutOff();
        }
    }

    /// <summary>Looks at the files due for a look: those whose writer has ended are taken in.</summary>
    private void LookAgain()
    {
        long now = NowMs();
        var due = _waiting.Due(now);
        if (due.Count == 0)
        {
            return;
        }
        // Thousands of files may name one process: /proc is asked once per pid.
        var starts = new Dictionary<int, double?>();
        foreach (var (name, claim) in due)
        {
            if (!starts.TryGetValue(claim.Pid, out var started))
            {
                starts[claim.Pid] = started = ProcessLiveness.StartOf(claim.Pid);
            }
            if (ProcessLiveness.Matches(started, claim.StartedUnixNs) || RunsInOwnNamespace(name, claim))
            {
                _waiting.Again(name, now);
            }
            else
            {
                Take(name);
            }
        }
    }

    private static long NowMs() => Environment.TickCount64;

    /// <summary>Whether the writer of record file <paramref name="name"/> still runs: by its pid on the host, else in a
    /// PID namespace of its own (a container's), where the pid in its name is the one it sees.</summary>
    private bool Runs(string name, RecordFileName claim) =>
        ProcessLiveness.IsRunning(claim.Pid, claim.StartedUnixNs) || RunsInOwnNamespace(name, claim);

    // Asked only for a file whose writer was not found on the host when it was made: one made while the daemon was
    // away (its listing), or a container's. The writer must be the file's owner's: another user's container whose
    // first process started at the same second would otherwise hold this record back for as long as it ran.
    private bool RunsInOwnNamespace(string name, RecordFileName claim) =>
        !_witnesses.Located(name)
        && RegularFile.StatusIn(_folder!, name) is { } file
        && NamespacedProcesses.IsRunning(claim.Pid, claim.StartedUnixNs, file.Uid);

    private void TakeAll()
    {
        FolderEntries.Each(options.Drop, Take);
    }

    private void Take(string name)
    {
        // Its record waits for enrichment: read again, it would be counted twice (or, refused now, removed). A running
        // process's record gives way to what its file holds now, unless it is being enriched this moment.
        if (_enrichQueue!.Count > 0 && _enrichQueue.Holds(Path.Combine(options.Drop, name)) && !GivesWay(name))
        {
            return;
        }
        long waitedLength = _waiting.LengthOf(name);
        uint waitedOwner = _waiting.OwnerOf(name);
        _waiting.Remove(name);
        _putOff.Remove(name);
        try
        {
            var outcome = Read(name, waitedOwner, waitedLength);
            if (outcome is Outcome.Wait or Outcome.PutOff)
            {
                _admitted.Add(name);
                return;
            }
            _admitted.Remove(name);
            // Read while it ran (before, or by this very read): its summary learns that no final record will come.
            if (_live.WasRead(name) && outcome is Outcome.Discard or Outcome.Vanished)
            {
                Ended(name);
            }
            _live.Forget(name);
            if (outcome == Outcome.Discard)
            {
                Remove(name);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            counters.UnreadableFile();
        }
        catch (Exception e)
        {
            // Whatever else a file made go wrong (parsing, enrichment, anything): it costs that file, not the thread.
            // The file goes, so that a restart does not meet it again.
            _admitted.Remove(name);
            _witnesses.Forget(name);
            if (_live.WasRead(name))
            {
                Ended(name);
            }
            _live.Forget(name);
            NoteFailure("taking in a file", e);
            try
            {
                Remove(name);
            }
            catch (Exception removal) when (removal is IOException or UnauthorizedAccessException)
            {
                counters.UnreadableFile();
            }
        }
    }

    /// <summary>Lets a file wait for its writer, within its owner's share of waiting bytes; past it the file goes.</summary>
    private Outcome Wait(string name, RecordFileName fileName, uint owner, long length)
    {
        if (_waiting.Wait(name, fileName, owner, length, NowMs()))
        {
            return Outcome.Wait;
        }
        counters.UserBytesExceeded();
        return Outcome.Discard;
    }

    private void Remove(string name)
    {
        _witnesses.Forget(name);
        RegularFile.RemoveIn(_folder!, name);
    }

    private Outcome Read(string name, uint waitedOwner, long waitedLength)
    {
        if (RecordFileName.Parse(name) is not { } fileName)
        {
            // Not a record: the hook writes nothing else here (no .tmp files either), and whatever a user leaves
            // takes space from every user's records and from the spool. Its close after its creation removed it
            // finds nothing: counted once.
            if (RegularFile.StatusIn(_folder!, name) is null)
            {
                return Outcome.Keep;
            }
            counters.Malformed();
            return Outcome.Discard;
        }
        // A file read again (its writer still ran) was admitted once: it takes no second token.
        bool Admit(uint owner) => _admitted.Contains(name) || _rateLimit.TryTake(owner, System.Diagnostics.Stopwatch.GetTimestamp());
        // A file that waits is read again only when it grew or its writer ended: a close alone adds nothing.
        long unchanged = waitedLength >= 0 && Runs(name, fileName) ? waitedLength : -1;
        if (DropFile.Read(_folder!, name, options.MaxRecordBytes, Admit, unchanged, ref _buffer, out var refusal) is not { } file)
        {
            switch (refusal)
            {
                case DropFile.Refusal.Oversized: counters.Oversized(); return Outcome.Discard;
                case DropFile.Refusal.NotRegular: counters.NotRegular(); return Outcome.Discard;
                case DropFile.Refusal.RateLimited: counters.RateLimited(); return Outcome.Discard;
                case DropFile.Refusal.Unchanged: return Wait(name, fileName, waitedOwner, waitedLength);
                default: return Outcome.Vanished;
            }
        }
        var path = Path.Combine(options.Drop, name);
        HookRecord parsed;
        try
        {
            var user = users.Find(file.Owner)?.Name ?? file.Owner.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parsed = HookFrames.Parse(_buffer.AsSpan(0, file.Length), fileName, file.Owner, user, _host, _caches);
            parsed = parsed with { Record = parsed.Record with { PidVerified = _witnesses.Verified(name, file.Owner) } };
        }
        catch (FormatException)
        {
            if (Runs(name, fileName))
            {
                return Wait(name, fileName, file.Owner, file.Length); // opened, nothing flushed yet
            }
            counters.Malformed();
            return Outcome.Discard;
        }
        if (!parsed.Complete && Runs(name, fileName))
        {
            // Found running when listing the folder (its age unknown), or at a close that did not end it: what it holds
            // goes to a live summary now, if it is due.
            if (_live.MayReadNow(name, file.Owner, NowMs()))
            {
                FoldLive(name, file, parsed.Record, path);
            }
            return Wait(name, fileName, file.Owner, file.Length);
        }
        // What the caches know goes on at once; a record whose environment or node file must be read waits for the
        // enrichment thread, so that its user's file system delays no one else.
        if (enricher.TryEnrichDeferringOrigins(parsed.Record, mayRead: false, out var enriched))
        {
            try
            {
                Forward(new ReceivedRecord(enriched.Record, path, enriched.OriginOf));
            }
            catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
                return Outcome.Keep; // stopping leaves the file for the next start
            }
            counters.RecordReceived();
        }
        else if (!WaitForEnrichment(file.Owner, file.Length, parsed.Record, name, path))
        {
            return Outcome.PutOff;
        }
        _witnesses.Forget(name);
        _youngGeneration.Check();
        counters.FramesDropped(parsed.DroppedFrames);
        return Outcome.Keep; // the aggregator removes it once its summary is spooled
    }

    /// <summary>Queues a record for the enrichment thread (counted received once passed on); false when its user's
    /// share is full or they have files put off already, and the file is put off behind them.</summary>
    private bool WaitForEnrichment(uint owner, long fileBytes, Polaris.Wire.ProcessRecord record, string name, string path)
    {
        long charge = EnrichQueue.Charge(fileBytes, record);
        if ((_retaking || !_putOff.Has(owner)) && _enrichQueue!.TryAdd(owner, charge, record, path))
        {
            counters.EnrichWaited();
            return true;
        }
        counters.EnrichPutOff();
        _putOff.Add(owner, name, charge);
        return false;
    }

    /// <summary>Passes a record on to the aggregator. Back-pressure: the caller waits for the aggregator (the kernel
    /// queues further events meanwhile; past its queue, an overflow makes us look at the whole folder).</summary>
    private void Forward(ReceivedRecord received)
    {
        if (!records.TryWrite(received))
        {
            counters.Deferred();
            records.WriteAsync(received, _stopping.Token).AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>What the enrichment thread could not pass on costs that record, as on the receive thread: counted, and
    /// its file removed, so that a restart does not meet it again.</summary>
    private void Failed(Exception e, string dropFile)
    {
        NoteFailure("passing on an enriched record", e);
        // Its process may be in a live summary: no final record will come for it.
        TryForward(ReceivedRecord.Gone(dropFile));
        try
        {
            RegularFile.RemoveIn(_folder!, Path.GetFileName(dropFile));
        }
        catch (Exception removal) when (removal is IOException or UnauthorizedAccessException)
        {
            counters.UnreadableFile();
        }
    }

    /// <summary>The enrichment thread's work: a record enriched with whatever it takes to read, or, should that fail
    /// unexpectedly, passed on as received (counted) rather than lost.</summary>
    private ReceivedRecord EnrichReading(Polaris.Wire.ProcessRecord record, string dropFile)
    {
        try
        {
            var (enriched, originOf) = enricher.EnrichDeferringOrigins(record);
            return new ReceivedRecord(enriched, dropFile, originOf);
        }
        catch (Exception e)
        {
            NoteFailure("enriching a record", e);
            return new ReceivedRecord(record, dropFile);
        }
    }

    public void Dispose()
    {
        _inotify?.Dispose();
        _folder?.Dispose();
        _stopping.Dispose();
    }

    private enum Outcome
    {
        Keep,
        Wait,
        PutOff,
        Discard,
        Vanished,
    }
}
