namespace Polaris.Collector.Aggregation;

/// <summary>What a stored summary contributes to the roll-ups and the metrics: worked out once, at ingest, and kept
/// with the summary so that a restart folds it the same way.</summary>
public sealed record SummaryFacts
{
    /// <summary>UTC day the summary's processes started, as <c>yyyyMMdd</c>.</summary>
    public required int Day { get; init; }

    /// <summary>The user's number: the kernel uid of an agent's processes; for an imported summary, the number the
    /// store's users directory gives its user name (<see cref="Storage.UserDirectory"/>).</summary>
    public required long Uid { get; init; }

    /// <summary>Who produced the records: imported summaries feed the roll-ups of their source, never the metrics.</summary>
    public Polaris.Wire.RecordSource Source { get; init; }

    /// <summary>The job key (<see cref="Scheduler.JobKey.Of"/>); empty outside any job, or when the rule refuses the
    /// summary's job id.</summary>
    public string JobKey { get; init; } = "";

    /// <summary>The job's queue, empty when unknown.</summary>
    public string Queue { get; init; } = "";

    /// <summary>Nodes of the job, as its processes saw it (0 when unknown).</summary>
    public int Nodes { get; init; }

    /// <summary>Node the summary came from.</summary>
    public string Host { get; init; } = "";

    /// <summary>Environment kind, as the wire names it.</summary>
    public required string Kind { get; init; }

    /// <summary>Science domain of the job's project.</summary>
    public required string Domain { get; init; }

    /// <summary>Processes the summary adds.</summary>
    public int Processes { get; init; }

    /// <summary>Processes that loaded a module from a home directory or the user site (start-up included).</summary>
    public int HomeProcesses { get; init; }

    /// <summary>The libraries, in first-import order.</summary>
    public IReadOnlyList<LibraryFacts> Libraries { get; init; } = [];
}
