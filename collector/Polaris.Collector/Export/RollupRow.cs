namespace Polaris.Collector.Export;

/// <summary>One day of one library in one source's roll-ups, as the <c>rollups</c> table has it (docs/analysis.md,
/// "Export").</summary>
public sealed record RollupRow
{
    public required string Source { get; init; }

    /// <summary>The library; null for the row of all Python processes.</summary>
    public string? Library { get; init; }

    public long Users { get; init; }

    public long Jobs { get; init; }

    public long Processes { get; init; }

    public long StartupProcesses { get; init; }

    public long ImportCount { get; init; }

    public long ImportSumNs { get; init; }
}
