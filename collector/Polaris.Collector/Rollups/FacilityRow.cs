namespace Polaris.Collector.Rollups;

/// <summary>One library facility-wide: per window of <see cref="FacilityRollups.Windows"/>, in its order, the distinct
/// users and jobs across every collector and the processes summed.</summary>
/// <param name="Library">The library; <c>""</c> is all Python.</param>
/// <param name="Users">Distinct uids per window.</param>
/// <param name="Jobs">Distinct job keys per window.</param>
/// <param name="Processes">Processes per window.</param>
public sealed record FacilityRow(string Library, IReadOnlyList<int> Users, IReadOnlyList<int> Jobs, IReadOnlyList<long> Processes);
