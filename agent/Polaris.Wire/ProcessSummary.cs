namespace Polaris.Wire;

/// <summary>The daemon's merge of the process records of one job on one node (or of one user's processes outside
/// any job) that share an environment, an interpreter and a script: what the collector stores.</summary>
/// <remarks>
/// A 64-rank job becomes one summary: one module table with, for each module, how many processes imported it
/// and how long that took, instead of 64 copies of the same list. Nothing a rank did differently is lost: a
/// module not every member imported names the members that did, and each member keeps its own small facts.
/// </remarks>
public sealed record ProcessSummary
{
    /// <summary>Host name of the node.</summary>
    public required string Host { get; init; }

    /// <summary>Kernel-reported user id shared by every member.</summary>
    public required uint Uid { get; init; }

    /// <summary>Its passwd name; empty when unknown.</summary>
    public string User { get; init; } = "";

    /// <summary>Python version, <c>major.minor.micro</c>.</summary>
    public string PythonVersion { get; init; } = "";

    /// <summary>The interpreter, <c>sys.executable</c>.</summary>
    public string Executable { get; init; } = "";

    /// <summary>The interpreter and environment.</summary>
    public PythonEnvironment Environment { get; init; } = new();

    /// <summary>The job (its rank is the first member's; each member has its own).</summary>
    public JobContext Job { get; init; } = new();

    /// <summary>The processes merged, in the order they arrived.</summary>
    public IReadOnlyList<SummaryMember> Members { get; init; } = [];

    /// <summary>Every module any member imported, in first-import order.</summary>
    public IReadOnlyList<ModuleUse> Modules { get; init; } = [];

    /// <summary>Shared libraries mapped at exit by any member.</summary>
    public IReadOnlyList<SharedObjectUse> SharedObjects { get; init; } = [];

    /// <summary>What the daemon left out of the members' records and of the summary to keep within
    /// <see cref="SummaryBounds"/>; empty for every real process.</summary>
    public Clips Clipped { get; init; }

    /// <summary>The live summary this is a version of (<c>sid</c>), shipped while some of its processes still ran; null
    /// for a summary shipped once, when its processes had ended (version 0, final). 1 to
    /// <see cref="SummaryBounds.MaxSummaryIdLength"/> characters of <c>[A-Za-z0-9._:-]</c>.</summary>
    public string? SummaryId { get; init; }

    /// <summary>The version of the live summary (<c>ver</c>): 1 for the first the daemon shipped, one more for each
    /// after; 0 without <see cref="SummaryId"/>. Every version is complete: all members and modules so far.</summary>
    public uint Version { get; init; }

    /// <summary>True for the last version of a live summary, and for every summary without <see cref="SummaryId"/>.</summary>
    public bool Final { get; init; } = true;

    /// <summary>Who produced the records (<c>src</c>): the agent, or a tool whose records a collector imported.</summary>
    public RecordSource Source { get; init; }

    /// <summary>Number of processes merged.</summary>
    public int Processes => Members.Count;
}
