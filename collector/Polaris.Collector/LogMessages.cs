namespace Polaris.Collector;

/// <summary>Every log line of the collector, with stable event ids; per-record events are counted, not logged.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(1, LogLevel.Warning, "Rejected a batch: {Reason}")]
    public static partial void BatchRejected(ILogger logger, string reason);

    [LoggerMessage(2, LogLevel.Information, "polaris-collector {Version} storing in {Data}; {Processes} processes counted so far")]
    public static partial void Started(ILogger logger, string version, string data, long processes);

    [LoggerMessage(3, LogLevel.Warning, "Batch {Batch}: refused {Count} summaries, the first (index {Index}) because {Reason}")]
    public static partial void SummariesRefused(ILogger logger, string batch, int count, int index, string reason);

    [LoggerMessage(4, LogLevel.Error, "Batch {Batch}: the store failed, answered 503 for the agent to retry: {Reason}")]
    public static partial void StoreFailed(ILogger logger, string batch, string reason);

    [LoggerMessage(5, LogLevel.Error, "Store maintenance ({Task}) failed, retried on the next round: {Reason}")]
    public static partial void MaintenanceFailed(ILogger logger, string task, string reason);

    [LoggerMessage(11, LogLevel.Information, "Imported a PBS accounting log: {Lines} lines, {Records} records, {Updated} jobs updated, {NotSeen} not seen yet, {Malformed} malformed lines")]
    public static partial void PbsImported(ILogger logger, long lines, long records, long updated, long notSeen, long malformed);

    [LoggerMessage(12, LogLevel.Error, "Importing a PBS accounting log: the store failed, answered 503: {Reason}")]
    public static partial void PbsStoreFailed(ILogger logger, string reason);
}
