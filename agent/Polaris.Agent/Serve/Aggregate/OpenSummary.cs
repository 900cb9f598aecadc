using Polaris.Wire;

namespace Polaris.Agent.Serve.Aggregate;

/// <summary>A summary still taking records, with the drop files of its records (removed once it is spooled) and
/// the times that decide when it closes.</summary>
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

    /// <summary>Folds in a record; returns what the summary left out of it (past its bounds).</summary>
    public Clips Add(ReceivedRecord received, long now, long number)
    {
        var clipped = Builder.Add(received.Record, received.OriginOf);
        // Folded in: the record's times are not read again (the builder keeps only the record's identity).
        Receive.ImportTimePool.Return(received.Record.Times);
        DropFiles.Add(received.DropFile);
        LastAddedAt = now;
        LastAddedNumber = number;
        return clipped;
    }

    /// <summary>When it closes if nothing else happens: after the quiet time, at the latest at the end of the window.</summary>
    public long ClosesAt(AgentOptions options) =>
        Math.Min(LastAddedAt + (long)options.SummaryQuiet.TotalMilliseconds, OpenedAt + (long)options.SummaryWindow.TotalMilliseconds);
}
