using Polaris.Wire;

namespace Polaris.Collector.Import;

/// <summary>One Python process as an importer read it from another tool's record, brought within
/// <see cref="SummaryBounds"/>: what a later step turns into a <see cref="ProcessSummary"/> of its source.</summary>
/// <remarks>Texts are empty, numbers negative or zero, where the tool did not say: every field but
/// <see cref="Identity"/>, <see cref="Start"/> and <see cref="Executable"/> may be missing from a real record.</remarks>
public sealed record ImportedProcess
{
    /// <summary>The tool that wrote the record.</summary>
    public required RecordSource Source { get; init; }

    /// <summary>What makes two imports of the record one: XALT's run uuid; PyModuleSnooper's
    /// <c>host/pid/timestamp</c> (its timestamp as written, so that the same line always gives the same text); each
    /// after its owner's uid (<c>1001/</c>) when a user owns the record's file, so that one user's record cannot take
    /// the place of another's (the store keeps the first summary of an identity).</summary>
    public required string Identity { get; init; }

    /// <summary>The source's name on the wire: <c>xalt</c> or <c>pymodulesnooper</c>.</summary>
    public string SourceName => Source.Name();

    /// <summary>The user's name: the record file's owner when a user owns it (<see cref="EntryOwner.IsUser"/>), else
    /// the name the record gives (<see cref="UserFromRecord"/>).</summary>
    public string User { get; init; } = "";

    /// <summary>True when <see cref="User"/> is only what the record claims: its file (or archive) is owned by root or
    /// by no known user, so nothing ties the record to whoever wrote it. Counted in the tally.</summary>
    public bool UserFromRecord { get; init; }

    /// <summary>The job id as the tool gives it: XALT cuts it to its digits (<c>1234501</c>), PyModuleSnooper keeps
    /// <c>PBS_JOBID</c> (<c>1234501.polaris-pbs-01</c>); <c>JobKey.Of</c> makes them one job.</summary>
    public string JobId { get; init; } = "";

    /// <summary>The project charged.</summary>
    public string Account { get; init; } = "";

    /// <summary>The queue.</summary>
    public string Queue { get; init; } = "";

    /// <summary>The node (PyModuleSnooper's <c>hostname</c>), or for XALT its system name (<c>syshost</c>): XALT's run
    /// record names no node.</summary>
    public string Host { get; init; } = "";

    /// <summary>When the process started, in UTC.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>The interpreter's path.</summary>
    public required string Executable { get; init; }

    /// <summary>The working directory; empty when unknown.</summary>
    public string WorkingDirectory { get; init; } = "";

    /// <summary>Nodes of the job the tool counted; 0 when unknown.</summary>
    public int NodeCount { get; init; }

    /// <summary>The MPI rank from the kept variables (<c>PALS_RANKID</c>, then <c>PMI_RANK</c>); -1 when unknown.</summary>
    public int Rank { get; init; } = -1;

    /// <summary>Modules as (name, file), with a version where the tool gave one: every module for PyModuleSnooper,
    /// the top-level packages for XALT (which keeps no others); standard-library ones included, as the agent's are.</summary>
    public IReadOnlyList<ModuleImport> Modules { get; init; } = [];

    /// <summary>Shared objects the process mapped (XALT's <c>libA</c>); none from PyModuleSnooper.</summary>
    public IReadOnlyList<SharedObject> SharedObjects { get; init; } = [];

    /// <summary>The process's environment variables that <see cref="AllowedVariables"/> lets through; no other.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>What was left out or blanked to stay within <see cref="SummaryBounds"/>.</summary>
    public Clips Clips { get; init; }
}
