namespace Polaris.Collector.Scheduler;

/// <summary>A line of an accounting log that was not taken, and why.</summary>
/// <param name="Line">The line's number, from 1.</param>
/// <param name="Reason">Why, in words fixed by the reader: it never quotes the line, which may hold anything.</param>
public sealed record PbsParseError(long Line, string Reason);
