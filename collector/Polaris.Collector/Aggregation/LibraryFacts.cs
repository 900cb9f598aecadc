using Polaris.Wire;

namespace Polaris.Collector.Aggregation;

/// <summary>What one summary says about one library: how many of its processes the program made import it, how many
/// had it from start-up alone, where its modules were loaded from, and how long importing it took.</summary>
/// <param name="Name">The library (top-level package), or the label it folded into.</param>
public sealed record LibraryFacts(string Name)
{
    /// <summary>Processes whose program imported a module of it (a library counts once per process).</summary>
    public int Processes { get; set; }

    /// <summary>Processes that had it only from start-up (<c>.pth</c> files), counted apart from <see cref="Processes"/>.</summary>
    public int StartupProcesses { get; set; }

    /// <summary>Module loads (a module in a process) by <see cref="Origin"/>, indexed by the enum's value.</summary>
    public long[] OriginLoads { get; init; } = new long[OriginCount];

    /// <summary>Import time of the top-level package, with what it imported, over the processes that timed it.</summary>
    public ImportHistogram ImportNs { get; } = new();

    /// <summary>Number of <see cref="Origin"/> values.</summary>
    public static readonly int OriginCount = Enum.GetValues<Origin>().Length;
}
