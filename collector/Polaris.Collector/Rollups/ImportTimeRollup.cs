namespace Polaris.Collector.Rollups;

/// <summary>The import-time histogram of a <see cref="RollupRecord"/>: exact, so that collectors' days add up.</summary>
/// <param name="Count">Durations counted.</param>
/// <param name="SumNs">Their sum, in ns.</param>
/// <param name="Buckets">The non-empty buckets as <c>[b, count]</c> pairs; bucket <c>b</c> holds [2^b, 2^(b+1)) ns, as
/// on the wire.</param>
public sealed record ImportTimeRollup(long Count, long SumNs, IReadOnlyList<long[]> Buckets);
