namespace Polaris.Collector.Export;

/// <summary>One module of a stored summary's module table with that summary's counts and times, as the
/// <c>modules</c> table has it (docs/analysis.md, "Export").</summary>
public sealed record ModuleRow
{
    public required string Source { get; init; }

    public required long SummaryId { get; init; }

    public string? JobKey { get; init; }

    public long? Uid { get; init; }

    public required string Module { get; init; }

    public string? Library { get; init; }

    public string? File { get; init; }

    public string? Origin { get; init; }

    public string? Kind { get; init; }

    public string? Version { get; init; }

    public long Processes { get; init; }

    public long StartupProcesses { get; init; }

    public long SelfCount { get; init; }

    public long SelfSumNs { get; init; }

    public long? SelfMinNs { get; init; }

    public long? SelfMaxNs { get; init; }

    public long CumulativeCount { get; init; }

    public long CumulativeSumNs { get; init; }

    public long? CumulativeMinNs { get; init; }

    public long? CumulativeMaxNs { get; init; }
}
