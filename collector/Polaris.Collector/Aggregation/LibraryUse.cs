namespace Polaris.Collector.Aggregation;

/// <summary>One library and the number of processes that imported it.</summary>
/// <param name="Library">Top-level package name.</param>
/// <param name="Processes">Processes that imported it.</param>
public sealed record LibraryUse(string Library, long Processes);
