namespace Polaris.Wire;

/// <summary>What the node daemon sends to the collector in one request.</summary>
public sealed record Batch
{
    /// <summary>Idempotency key: the collector counts a batch with a key it has seen before only once.</summary>
    public required string Key { get; init; }

    /// <summary>Host name of the node whose daemon made the batch.</summary>
    public required string Node { get; init; }

    /// <summary>Version of the agent that made the batch.</summary>
    public string AgentVersion { get; init; } = "";

    /// <summary>When the batch was made, Unix time in milliseconds.</summary>
    public long CreatedAtMs { get; init; }

    /// <summary>The summaries the batch carries.</summary>
    public IReadOnlyList<ProcessSummary> Summaries { get; init; } = [];

    /// <summary>Processes its summaries merge.</summary>
    public int Processes => Summaries.Sum(s => s.Processes);
}
