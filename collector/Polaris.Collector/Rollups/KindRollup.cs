namespace Polaris.Collector.Rollups;

/// <summary>One environment kind of a <see cref="RollupRecord"/>.</summary>
/// <param name="Users">Distinct uids, ascending.</param>
/// <param name="Processes">Processes.</param>
public sealed record KindRollup(IReadOnlyList<long> Users, long Processes);
