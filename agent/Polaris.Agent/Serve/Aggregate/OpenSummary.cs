using Polaris.Wire;

namespace Polaris.Agent.Serve.Aggregate;

/// <summary>A summary still taking records, with the drop files of its records (removed once it is spooled) and
/// the times that decide when it closes.</summary>
/// <remarks>A live one (<see cref="Live"/>) also has members still running, read again as their files grow: it ships
/// a version now and then, and closes once they have all ended.</remarks>
public sealed class OpenSummary(SummaryKey key, long openedAt)
{
    /// <summary>Folds the records.</summary>
    public SummaryBuilder Builder { get; } = new(key);

    /// <summary>Drop files of the records folded in.</summary>
    public List<string> DropFiles { get; } = [];

    /// <summary>When its first record came, in <see cref="Environment.TickCount64"/> ms.</summary>
    public long OpenedAt { get; } = openedAt;

    /// <summary>When its latest record came, in <see cref="Environment.TickCount64"/> ms.</summary>
    public long LastAddedAt { get; private set; } = openedAt;

    /// <summary>The number, among every record the aggregator has taken, of the latest one added here: it orders
    /// summaries by their last record even when several came in one millisecond.</summary>
    public long LastAddedNumber { get; private set; }

    /// <summary>What makes it live; null for a summary of processes that had ended when read, shipped once.</summary>
    public LiveState? Live { get; private set; }

    /// <summary>Makes it live: a member of it was read while running. Its members so far stay; its versions begin.</summary>
    public void MakeLive(LiveState live)
    {
        ArgumentNullException.ThrowIfNull(live);
        Live = live;
        live.Changed(LastAddedAt);
    }

    /// <summary>Folds in a record; returns what the summary left out of it (past its bounds).</summary>
    public Clips Add(ReceivedRecord received, long now, long number)
    {
        int member = Builder.Processes;
        var clipped = Builder.Add(received.Record, received.OriginOf);
        if (Live != null)
        {
            Live.Changed(now);
            if (received.State == RecordState.Running)
            {
                Live.Running[received.DropFile] = (member, FoldedMember.Of(received.Record));
            }
        }
        // Folded in: the record's times are not read again (the builder keeps only the record's identity).
        Receive.ImportTimePool.Return(received.Record.Times);
        DropFiles.Add(received.DropFile);
        Touch(now, number);
        return clipped;
    }

    /// <summary>Folds in a later record of a running member (read again, or its final record); returns what the summary
    /// left out of it beyond what it left out before.</summary>
    public Clips Replace(ReceivedRecord received, long now, long number)
    {
        var live = Live!;
        var (member, folded) = live.Running[received.DropFile];
        var clipped = Builder.Replace(member, received.Record, folded, received.OriginOf);
        Receive.ImportTimePool.Return(received.Record.Times);
        if (received.State == RecordState.Running)
        {
            live.Running[received.DropFile] = (member, FoldedMember.Of(received.Record));
        }
        else
        {
            live.Running.Remove(received.DropFile);
        }
        live.Changed(now);
        Touch(now, number);
        return clipped;
    }

    /// <summary>A running member whose final record will not come: it ends <c>lost</c>, as last read.</summary>
    public void Lose(string dropFile, long now, long number)
    {
        var live = Live!;
        if (live.Running.Remove(dropFile, out var member))
        {
            Builder.Lose(member.Index);
            live.Changed(now);
            Touch(now, number);
        }
    }

    private void Touch(long now, long number)
    {
        LastAddedAt = now;
        LastAddedNumber = number;
    }

    /// <summary>Whether a process not yet in it may join: within the window of its first record, below
    /// <see cref="AgentOptions.SummaryMaxProcesses"/>. A live summary past it stays open for its members only.</summary>
    public bool Joinable(long now, AgentOptions options) =>
        now < OpenedAt + (long)options.SummaryWindow.TotalMilliseconds && Builder.Processes < options.SummaryMaxProcesses;

    /// <summary>When it closes (or, live, ships its next version) if nothing else happens: after the quiet time, at
    /// the latest at the end of the window; a live one as <see cref="LiveState.DueAt"/> says.</summary>
    public long ClosesAt(AgentOptions options) =>
        Live?.DueAt(LastAddedAt, (long)options.SummaryQuiet.TotalMilliseconds, (long)options.SummaryWindow.TotalMilliseconds, (long)options.LiveAfter.TotalMilliseconds)
        ?? Math.Min(LastAddedAt + (long)options.SummaryQuiet.TotalMilliseconds, OpenedAt + (long)options.SummaryWindow.TotalMilliseconds);

    /// <summary>The summary as it stands; a live one as its next version, the last when <paramref name="final"/>.</summary>
    public ProcessSummary Build(bool final) => Live == null
        ? Builder.Build()
        : Builder.Build() with { SummaryId = Live.Sid, Version = Live.Version + 1, Final = final };
}
