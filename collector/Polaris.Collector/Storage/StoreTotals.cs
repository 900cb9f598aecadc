namespace Polaris.Collector.Storage;

/// <summary>Running totals kept beside the records, so /metrics starts from the truth after a restart.</summary>
/// <param name="Processes">Python processes stored.</param>
/// <param name="Libraries">Per library, the processes that imported it.</param>
public sealed record StoreTotals(long Processes, IReadOnlyDictionary<string, long> Libraries);
