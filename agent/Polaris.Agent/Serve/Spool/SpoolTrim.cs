using Microsoft.Extensions.Logging;

namespace Polaris.Agent.Serve.Spool;

/// <summary>What keeping the spool within its bounds dropped: the oldest batches first.</summary>
/// <param name="Batches">Batches deleted unsent.</param>
/// <param name="Bytes">Their size on disk.</param>
public readonly record struct SpoolTrim(int Batches, long Bytes)
{
    /// <summary>Counts and logs the drop, if there was one: every caller that trims the spool owes both.</summary>
    public void Report(AgentCounters counters, ILogger logger)
    {
        if (Batches > 0)
        {
            counters.SpoolDropped(this);
            LogMessages.SpoolTrimmed(logger, Batches, Bytes);
        }
    }
}
