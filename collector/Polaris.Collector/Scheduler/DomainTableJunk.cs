namespace Polaris.Collector.Scheduler;

/// <summary>A line of the domain table that was not taken, and why.</summary>
/// <param name="Line">The line's number, from 1.</param>
/// <param name="Reason">Why, in words fixed by the table: it never quotes the line.</param>
public sealed record DomainTableJunk(long Line, string Reason);
