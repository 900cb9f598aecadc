namespace Polaris.Collector.Rollups;

/// <summary>One science domain of a <see cref="RollupRecord"/>.</summary>
/// <param name="Users">Distinct uids, ascending.</param>
/// <param name="Jobs">Distinct job keys, in ordinal order.</param>
/// <param name="Processes">Processes.</param>
public sealed record DomainRollup(IReadOnlyList<long> Users, IReadOnlyList<string> Jobs, long Processes);
