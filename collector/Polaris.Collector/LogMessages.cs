namespace Polaris.Collector;

/// <summary>Every log line of the collector, with stable event ids; per-record events are counted, not logged.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(1, LogLevel.Warning, "Rejected a batch: {Reason}")]
    public static partial void BatchRejected(ILogger logger, string reason);

    [LoggerMessage(2, LogLevel.Information, "polaris-collector {Version} storing in {Data}; {Processes} processes counted so far")]
    public static partial void Started(ILogger logger, string version, string data, long processes);
}
