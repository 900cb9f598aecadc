namespace Polaris.Collector.Export;

/// <summary>One process of a stored summary, as the <c>processes</c> table has it (docs/analysis.md, "Export").</summary>
public sealed record ProcessRow
{
    public required string Source { get; init; }

    public required long SummaryId { get; init; }

    public string? Host { get; init; }

    public long? Uid { get; init; }

    public string? User { get; init; }

    public string? JobId { get; init; }

    public string? JobKey { get; init; }

    public string? Account { get; init; }

    public string? Domain { get; init; }

    public string? Queue { get; init; }

    public long? JobNodes { get; init; }

    public long? Rank { get; init; }

    public long? Pid { get; init; }

    public DateTime? Start { get; init; }

    public DateTime? End { get; init; }

    public string? EnvironmentKind { get; init; }

    public string? EnvironmentPrefix { get; init; }

    public string? Executable { get; init; }

    public string? PythonVersion { get; init; }

    public long? ImportNs { get; init; }

    public long? RunNs { get; init; }

    public string? ExitReason { get; init; }
}
