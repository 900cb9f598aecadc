namespace Polaris.Wire;

/// <summary>One process of a summary: what is its own and small (ids, times, how it ended, the variables it had
/// otherwise than the summary's job); its modules are in the summary's module table.</summary>
/// <param name="RecordId">The record's id (<c>host:PID.START_NS</c>).</param>
/// <param name="Pid">Process id.</param>
public sealed record SummaryMember(string RecordId, int Pid)
{
    /// <summary>True when the daemon saw <see cref="Pid"/> run as the summary's user; else the pid is the writer's claim.</summary>
    public bool PidVerified { get; init; }

    /// <summary>For a forked child, the parent's pid; 0 otherwise.</summary>
    public int ParentPid { get; init; }

    /// <summary>MPI rank, -1 when none.</summary>
    public int Rank { get; init; } = -1;

    /// <summary>Interpreter start, Unix ms.</summary>
    public long StartedAtMs { get; init; }

    /// <summary>Hook exit (or last flush), Unix ms.</summary>
    public long EndedAtMs { get; init; }

    /// <summary>Wall time in outermost imports, ns.</summary>
    public long ImportNs { get; init; }

    /// <summary>Start-to-exit wall time, ns.</summary>
    public long RuntimeNs { get; init; }

    /// <summary>How the process ended: see <see cref="ExitReasons"/>.</summary>
    public string ExitReason { get; init; } = "";

    /// <summary>True when no exit frame came (killed): the record holds what was flushed.</summary>
    public bool Partial { get; init; }

    /// <summary>Working directory at start-up.</summary>
    public string WorkingDirectory { get; init; } = "";

    /// <summary>The allowlisted variables this process had that differ from the summary's
    /// <see cref="JobContext.Variables"/> (see <see cref="MemberVariables"/>): a value of null is one it had not set.
    /// Empty for the first member, whose variables the summary's are.</summary>
    public IReadOnlyDictionary<string, string?> Variables { get; init; } = MemberVariables.None;
}
