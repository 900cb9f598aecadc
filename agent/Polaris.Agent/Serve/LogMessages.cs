using Microsoft.Extensions.Logging;

namespace Polaris.Agent.Serve;

/// <summary>Every log line of the daemon, with stable event ids; per-record events are counted, not logged.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(1, LogLevel.Information, "Taking in hook records from {Drop}")]
    public static partial void Watching(ILogger logger, string drop);

    [LoggerMessage(3, LogLevel.Error, "Could not spool a batch of {Processes} processes, will retry: {Reason}")]
    public static partial void SpoolFailed(ILogger logger, int processes, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Delivering batch {Key} to {Endpoint} failed, will retry: {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, string endpoint, string key, string reason);

    [LoggerMessage(5, LogLevel.Error, "The collector rejected batch {Key} with HTTP {Status}; it is kept under rejected/")]
    public static partial void BatchRejected(ILogger logger, string key, int status);

    [LoggerMessage(6, LogLevel.Information, "Stopped: {Counters}")]
    public static partial void Stopped(ILogger logger, AgentCounters counters);

    [LoggerMessage(7, LogLevel.Information, "polaris-agent {Version} serving; spool {Spool}; collector {Collector}")]
    public static partial void Started(ILogger logger, string version, string spool, string collector);

    [LoggerMessage(8, LogLevel.Error, "Cannot read the spool, will retry: {Reason}")]
    public static partial void SpoolUnreadable(ILogger logger, string reason);

    [LoggerMessage(9, LogLevel.Warning, "The spool was past its bounds (size, age or free space): dropped its {Batches} oldest batches, {Bytes} bytes")]
    public static partial void SpoolTrimmed(ILogger logger, int batches, long bytes);

    [LoggerMessage(10, LogLevel.Error, "Could not remove {File} after spooling its record; a restart will count it again: {Reason}")]
    public static partial void DropFileKept(ILogger logger, string file, string reason);

    [LoggerMessage(11, LogLevel.Error, "The collector refused the token; reading it again failed: {Reason}")]
    public static partial void TokenUnusable(ILogger logger, string reason);

    [LoggerMessage(12, LogLevel.Information, "Answering status requests on {Socket}")]
    public static partial void StatusListening(ILogger logger, string socket);

    [LoggerMessage(13, LogLevel.Warning, "Cannot write the textfile collector's file {File}: {Reason}")]
    public static partial void TextfileFailed(ILogger logger, string file, string reason);

    [LoggerMessage(14, LogLevel.Error, "Cannot read the live summaries journaled in the spool; their processes will be counted again in new summaries: {Reason}")]
    public static partial void LiveJournalUnreadable(ILogger logger, string reason);

    [LoggerMessage(40, LogLevel.Warning, "Batch {Key} failed {Failures} times in a row while the collector took the batch behind it; set aside under deferred/ and retried on its own")]
    public static partial void BatchDeferred(ILogger logger, string key, int failures);

    [LoggerMessage(41, LogLevel.Error, "Deferred batch {Key} still failed after {Attempts} retries; it is kept under rejected/")]
    public static partial void DeferredGivenUp(ILogger logger, string key, int attempts);

    [LoggerMessage(42, LogLevel.Error, "Taking in a drop folder entry failed ({Kind}); the entry is removed and counted as dropped_failed, further failures of this kind are counted only: {Reason}")]
    public static partial void ReceiveFailed(ILogger logger, string kind, string reason);

    [LoggerMessage(43, LogLevel.Error, "The collector took batch {Key} but refused {Refused} of its summaries, the first (#{Index}) as: {Reason}; this agent and the collector disagree on a bound (a bug or a version mismatch), counted as summaries_refused")]
    public static partial void SummariesRefused(ILogger logger, string key, int refused, int index, string reason);
}
