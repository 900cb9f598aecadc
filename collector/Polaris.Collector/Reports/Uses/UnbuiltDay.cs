namespace Polaris.Collector.Reports;

/// <summary>A source's uses of a day not built yet (<see cref="UsesSections.Unbuilt"/>), packed as its period holds
/// them.</summary>
/// <param name="Sections">Each section's chunks.</param>
/// <param name="Dropped">Entries refused past the uses' bounds.</param>
public sealed record UnbuiltDay(List<(string Section, IReadOnlyList<byte[]> Chunks)> Sections, long Dropped);
