using Polaris.Agent.Serve.Spool;
using Polaris.Wire;

namespace Polaris.Agent.Serve.Aggregate;

/// <summary>Live summaries: the records of processes read while they ran, and everything else of those processes.</summary>
/// <remarks>
/// A process belongs to one live summary for its whole life: its first record read while it ran joins the summary of
/// its key (making it live) or starts one, and every later record of its drop file (read again, final, or the news
/// that no final will come) replaces its member in that summary. A live summary ships a version now and then while
/// its members run (<see cref="LiveState.DueAt"/>) and its last once they have all ended; one that must close early
/// (<see cref="AgentOptions.SummaryMaxOpen"/>) ships its running members as running and settles them: what they do
/// later is not counted again. Each version is journaled in the spool before its batch (<see cref="LiveJournal"/>),
/// so that a restarted daemon goes on with the same summary and counts nothing twice.
/// </remarks>
public sealed partial class RecordAggregator
{
    // Drop files of running members, and the live summary each belongs to.
    private readonly Dictionary<string, OpenSummary> _liveMembers = new(StringComparer.Ordinal);
    private readonly SettledFiles _settled = new();
    private readonly RestoredFiles _restored = new();
    private readonly Dictionary<string, OpenSummary> _restoredSummaries = new(StringComparer.Ordinal);
    private LiveJournal? _journal;

    private LiveJournal Journal => _journal ??= new LiveJournal(options.Spool);

    /// <summary>Takes back what a previous run journaled of its live summaries: their members' files join them again, and
    /// the files of settled processes are removed when their writers close them.</summary>
    private void Restore()
    {
        List<LiveJournal.Entry> entries;
        try
        {
            entries = Journal.Load();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogMessages.LiveJournalUnreadable(logger, e.Message);
            return;
        }
        foreach (var entry in entries)
        {
            foreach (var file in entry.Members)
            {
                _restored.Add(entry.Sid, entry.Version, file);
            }
            foreach (var file in entry.Settled)
            {
                _settled.Add(entry.Sid, file);
            }
        }
    }

    /// <summary>Handles a record that belongs to a live summary, or is of a running process; false for the record of an
    /// ended process that goes the usual way.</summary>
    private bool TakeLive(ReceivedRecord received, long now)
    {
        var file = received.DropFile;
        if (_liveMembers.TryGetValue(file, out var summary))
        {
            if (received.State == RecordState.Gone)
            {
                summary.Lose(file, now, ++_recordsTaken);
            }
            else
            {
                var left = summary.Replace(received, now, ++_recordsTaken);
                if (received.State == RecordState.Final)
                {
                    counters.Clipped(received.Record.Clipped, left);
                }
            }
            if (received.State != RecordState.Running)
            {
                _liveMembers.Remove(file);
            }
            _earliestClose = Math.Min(_earliestClose, summary.ClosesAt(options));
            return true;
        }
        if (_settled.Contains(file))
        {
            Receive.ImportTimePool.Return(received.Record.Times);
            if (received.State != RecordState.Running)
            {
                RemoveSettled(file);
            }
            return true;
        }
        if (_restored.Count > 0 && _restored.TryTake(file, out var sid, out var version, out bool last))
        {
            if (received.State != RecordState.Gone && Rejoin(received, sid, version, now))
            {
                return true;
            }
            if (last && !_restoredSummaries.ContainsKey(sid))
            {
                Journal.Delete(sid); // none of its members came back
            }
        }
        if (received.State == RecordState.Gone)
        {
            return true;
        }
        if (received.State == RecordState.Running)
        {
            JoinLive(received, now);
            return true;
        }
        return false;
    }

    /// <summary>A running process read for the first time joins the summary of its key, which becomes live, or starts a
    /// live one.</summary>
    private void JoinLive(ReceivedRecord received, long now)
    {
        if (_inFlight.Contains(received.DropFile))
        {
            // Its final record was taken already (a read put off past the close): that one counts.
            Receive.ImportTimePool.Return(received.Record.Times);
            return;
        }
        var summary = Joining(SummaryKey.Of(received.Record), received.Record, now);
        if (summary.Live == null)
        {
            // Its members so far have ended: they stay in it, and its versions begin now.
            summary.MakeLive(new LiveState(spool.NewKey(), 0));
        }
        Member(summary, received, now);
    }

    /// <summary>A member of a live summary of the previous run joins it again (made when its first member comes back);
    /// false when the record cannot (a forged file that changed its key).</summary>
    private bool Rejoin(ReceivedRecord received, string sid, uint version, long now)
    {
        var key = SummaryKey.Of(received.Record);
        if (!_restoredSummaries.TryGetValue(sid, out var summary))
        {
            if (OpenCount >= options.SummaryMaxOpen)
            {
                CloseStalest();
            }
            summary = new OpenSummary(key, now);
            summary.MakeLive(new LiveState(sid, version));
            _restoredSummaries.Add(sid, summary);
            _detached.Add(summary);
        }
        else if (summary.Builder.Key != key || !summary.Builder.Fits(received.Record))
        {
            return false;
        }
        Member(summary, received, now);
        return true;
    }

    private void Member(OpenSummary summary, ReceivedRecord received, long now)
    {
        _inFlight.Add(received.DropFile);
        var left = summary.Add(received, now, ++_recordsTaken);
        if (received.State == RecordState.Running)
        {
            _liveMembers[received.DropFile] = summary;
        }
        else
        {
            counters.Clipped(received.Record.Clipped, left);
        }
        Folded(summary);
    }

    /// <summary>A live summary closes while some members run: they go in its last version as running, and nothing they
    /// do later counts again.</summary>
    private void Settle(OpenSummary summary)
    {
        var live = summary.Live!;
        _detached.Remove(summary);
        _restoredSummaries.Remove(live.Sid);
        var running = live.Running.Keys.Concat(_restored.TakeAll(live.Sid)).ToArray();
        foreach (var file in running)
        {
            _liveMembers.Remove(file);
            _inFlight.Remove(file);
            _settled.Add(live.Sid, file);
        }
        if (live.Running.Count > 0)
        {
            summary.DropFiles.RemoveAll(live.Running.ContainsKey);
            counters.LiveSettled(live.Running.Count);
        }
        live.Running.Clear();
    }

    /// <summary>A settled process's file, closed: it goes, and with the last of its summary, that summary's journal.</summary>
    private void RemoveSettled(string file)
    {
        try
        {
            RemoveDropFile(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogMessages.DropFileKept(logger, file, e.Message);
        }
        if (_settled.Remove(file, out var sid) && !_restoredSummaries.ContainsKey(sid))
        {
            Journal.Delete(sid);
        }
    }

    /// <summary>Shutting down: summaries of ended processes go as they are; a live one whose members still run ships
    /// what changed as a version and stays journaled, for the next start to go on with.</summary>
    private void CloseAll()
    {
        var queued = _closed.Select(c => c.Summary).ToHashSet();
        foreach (var summary in _open.Values.Concat(_detached).ToArray())
        {
            if (queued.Contains(summary))
            {
                continue;
            }
            if (summary.Live is { Running.Count: > 0 } live)
            {
                if (live.ChangedAt != null)
                {
                    _closed.Add(new ClosedSummary(summary, Final: false));
                }
                continue;
            }
            Close(summary);
        }
        _open.Clear();
        _detached.Clear();
    }

    /// <summary>Journals each live summary of a batch about to be spooled, as its new version will leave it.</summary>
    private void JournalVersions(IEnumerable<ClosedSummary> taken)
    {
        foreach (var (summary, _) in taken)
        {
            if (summary.Live is { } live)
            {
                Journal.Write(new LiveJournal.Entry(live.Sid, live.Version + 1, summary.DropFiles, _settled.Of(live.Sid)));
            }
        }
    }

    /// <summary>After a batch is spooled: live summaries are at their new version; one whose last version it was keeps a
    /// journal only while some of its settled processes run.</summary>
    private void Spooled(IEnumerable<ClosedSummary> taken)
    {
        foreach (var (summary, final) in taken)
        {
            if (summary.Live is not { } live)
            {
                continue;
            }
            live.Version++;
            if (!final)
            {
                continue;
            }
            var settled = _settled.Of(live.Sid);
            if (settled.Count == 0)
            {
                Journal.Delete(live.Sid);
            }
            else
            {
                Journal.Write(new LiveJournal.Entry(live.Sid, live.Version, [], settled));
            }
        }
    }
}
