namespace Polaris.Collector.Storage;

/// <summary>What <c>GET /v1/libraries</c> answers: the running totals of the roll-ups kept (<see cref="LibraryTotals"/>)
/// with what is stored but not folded yet.</summary>
/// <param name="Processes">Python processes stored.</param>
/// <param name="Libraries">Per library, the processes that imported it.</param>
public sealed record StoreTotals(long Processes, IReadOnlyDictionary<string, long> Libraries);
