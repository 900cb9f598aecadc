using System.Diagnostics;
using Polaris.Agent.Native;
using Polaris.Wire;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Live reads: what a running process's record file holds, taken in while it runs.</summary>
/// <remarks>
/// A record file open for <see cref="AgentOptions.LiveAfter"/> (<see cref="LiveFiles"/>) is read whole, its complete
/// frames parsed (a frame being written is ignored, as a killed writer's last one is) and passed on as a record of a
/// running process (<see cref="RecordState.Running"/>): exit <c>running</c>, end and run time as of the read. The file
/// stays; its close is taken in as ever, and its final record replaces what was read of it, in the same live summary.
/// Then one inotify event is asked for at the file's next write, and the file is read again only after it, at most
/// once per summary window. Each read is hostile input as any: the file is checked as at its close (a regular file
/// of one name, within <see cref="AgentOptions.MaxRecordBytes"/>), its first read takes a token of its owner's record
/// rate, every read takes tokens of the owner's <see cref="LiveReadBudget"/>, and a record that must wait for
/// enrichment takes the owner's turn in <see cref="EnrichQueue"/>; a read past them is put off and counted
/// (<c>live_put_off</c>), never taken from another user.
/// </remarks>
public sealed partial class DropWatcher
{
    // A read put off because its enrichment found no room is tried again after this long.
    private const int LivePutOffMs = 1000;

    private readonly LiveFiles _live = new((long)options.LiveAfter.TotalMilliseconds, (long)options.SummaryWindow.TotalMilliseconds);
    private readonly LiveReadBudget _liveBudget = new();
    // Files closed while their running record was being enriched: taken in once it is passed on.
    private readonly HashSet<string> _retakes = new(StringComparer.Ordinal);

    /// <summary>Reads the followed files that are due.</summary>
    private void ReadLiveDue()
    {
        if (_live.Count == 0)
        {
            return;
        }
        foreach (var name in _live.Due(NowMs()))
        {
            try
            {
                ReadLive(name);
            }
            catch (Exception e)
            {
                // Whatever it was, its close is taken in as ever: nothing to remove now.
                _live.Stop(name);
                NoteFailure("reading a running process's file", e);
            }
        }
    }

    private void ReadLive(string name)
    {
        long now = NowMs();
        var path = Path.Combine(options.Drop, name);
        if (RecordFileName.Parse(name) is not { } claim)
        {
            _live.Forget(name);
            return;
        }
        if (_enrichQueue!.Count > 0 && _enrichQueue.Holds(path))
        {
            PutOff(name, now + LivePutOffMs); // its last read is still being enriched
            return;
        }
        // Only a writer that runs is read: an ended one's close comes (or came), and is taken in as ever.
        var found = RegularFile.StatusIn(_folder!, name);
        if (found == null && _live.WasRead(name))
        {
            // Its owner removed it while it ran: nothing more of it will be read.
            _live.Forget(name);
            Ended(name);
            return;
        }
        if (!Runs(name, claim)
            || found is not { IsRegularFile: true, Links: 1 } status || status.Size > options.MaxRecordBytes)
        {
            _live.Stop(name);
            return;
        }
        long stamp = Stopwatch.GetTimestamp();
        if (status.Size == _live.LengthOf(name))
        {
            _live.Read(name, status.Uid, now, status.Size);
            _inotify!.WatchWrite(name);
            return;
        }
        if (!_liveBudget.TryTake(status.Uid, status.Size, stamp, out int waitMs))
        {
            PutOff(name, now + waitMs);
            return;
        }
        // The file's one token of the record rate, taken once: its later reads and its close take none.
        if (!_admitted.Contains(name))
        {
            if (!_rateLimit.TryTake(status.Uid, stamp))
            {
                _live.Stop(name);
                counters.LivePutOff();
                return;
            }
            _admitted.Add(name);
        }
        // Watched before it is read: a write after the read is then never missed.
        bool watched = _inotify!.WatchWrite(name);
        if (DropFile.Read(_folder!, name, options.MaxRecordBytes, _ => true, -1, ref _buffer, out _) is not { } file)
        {
            _live.Stop(name);
            return;
        }
        HookRecord parsed;
        try
        {
            var user = users.Find(file.Owner)?.Name ?? file.Owner.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parsed = HookFrames.Parse(_buffer.AsSpan(0, file.Length), claim, file.Owner, user, _host, _caches);
        }
        catch (FormatException)
        {
            _live.Read(name, file.Owner, now, file.Length); // no whole frame yet: read again once it grows
            return;
        }
        _youngGeneration.Check();
        if (parsed.Complete)
        {
            // Its exit frame is there: its close follows in a moment, and is taken in as ever.
            Receive.ImportTimePool.Return(parsed.Record.Times);
            _live.Read(name, file.Owner, now, file.Length);
            return;
        }
        FoldLive(name, file, parsed.Record with { PidVerified = _witnesses.Verified(name, file.Owner) }, path, watched);
    }

    /// <summary>Passes on what a running process's file holds, as a record of a running process.</summary>
    private void FoldLive(string name, DropFile file, ProcessRecord parsed, string path, bool watched = false)
    {
        long now = NowMs();
        _live.Read(name, file.Owner, now, file.Length);
        var record = Running(parsed);
        if (enricher.TryEnrichDeferringOrigins(record, mayRead: false, out var enriched))
        {
            if (!TryForward(new ReceivedRecord(enriched.Record, path, enriched.OriginOf) { State = RecordState.Running }))
            {
                return;
            }
        }
        else if (_enrichQueue!.TryAdd(file.Owner, EnrichQueue.Charge(file.Length, record), record, path, RecordState.Running))
        {
            counters.EnrichWaited();
        }
        else
        {
            Receive.ImportTimePool.Return(record.Times);
            PutOff(name, now + LivePutOffMs);
            return;
        }
        counters.LiveRead();
        if (!watched && !_inotify!.WatchWrite(name))
        {
            counters.LivePutOff(); // no watch left: read again only at its close
        }
    }

    /// <summary>The record as of now: running, partial, its end and run time those of the read.</summary>
    private static ProcessRecord Running(ProcessRecord record)
    {
        long nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long endedMs = Math.Clamp(nowMs, record.StartedAtMs, SummaryBounds.MaxTimeMs);
        long runtimeNs = Math.Clamp((endedMs - record.StartedAtMs) * 1_000_000, 0, SummaryBounds.MaxRuntimeNs);
        return record with { ExitReason = ExitReasons.Running, Partial = true, EndedAtMs = endedMs, RuntimeNs = runtimeNs };
    }

    private void PutOff(string name, long dueMs)
    {
        _live.PutOff(name, dueMs);
        counters.LivePutOff();
    }

    /// <summary>A closed file whose running record the enrichment queue holds: that record gives way to the file's
    /// content now (true), or, being enriched this moment, is passed on first and the file taken in just after.</summary>
    private bool GivesWay(string name)
    {
        if (!_live.WasRead(name))
        {
            return false;
        }
        if (_enrichQueue!.TryRemove(Path.Combine(options.Drop, name)))
        {
            return true;
        }
        _retakes.Add(name);
        return false;
    }

    private void TakeRetakes()
    {
        if (_retakes.Count == 0)
        {
            return;
        }
        foreach (var name in _retakes.ToArray())
        {
            _retakes.Remove(name);
            Take(name);
        }
    }

    /// <summary>A running process read before will send no final record (its file went, or was refused at its close).</summary>
    private void Ended(string name) => TryForward(ReceivedRecord.Gone(Path.Combine(options.Drop, name)));

    /// <summary>Passes a record on; false when the daemon is stopping (the file stays for the next start).</summary>
    private bool TryForward(ReceivedRecord received)
    {
        try
        {
            Forward(received);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            return false;
        }
    }
}
