namespace Polaris.Wire;

/// <summary>What one Python process reports, enriched by the node daemon.</summary>
/// <remarks>
/// <see cref="Uid"/>, <see cref="User"/> and <see cref="Pid"/> come from the kernel's credentials for the
/// socket the record arrived on, never from the record's own text.
/// </remarks>
public sealed record ProcessRecord
{
    /// <summary>Unique id of the record (node and the hook's record file), so a record read twice is counted once.</summary>
    public string RecordId { get; init; } = "";

    /// <summary>Host name of the node the process ran on.</summary>
    public required string Host { get; init; }

    /// <summary>Kernel-reported user id of the sending process.</summary>
    public required uint Uid { get; init; }

    /// <summary>User name resolved from <see cref="Uid"/> through the passwd database; empty when unknown.</summary>
    public required string User { get; init; }

    /// <summary>Kernel-reported process id of the sending process.</summary>
    public required int Pid { get; init; }

    /// <summary>True when the daemon saw <see cref="Pid"/> run as <see cref="Uid"/> when the record began; a pid it could
    /// not check (the daemon was down) is the writer's claim.</summary>
    public bool PidVerified { get; init; }

    /// <summary>Python version as <c>major.minor.micro</c>.</summary>
    public string PythonVersion { get; init; } = "";

    /// <summary>The interpreter, <c>sys.executable</c>.</summary>
    public string Executable { get; init; } = "";

    /// <summary>When the interpreter started, Unix time in milliseconds.</summary>
    public long StartedAtMs { get; init; }

    /// <summary>When the hook sent the record (interpreter exit), Unix time in milliseconds.</summary>
    public long EndedAtMs { get; init; }

    /// <summary>For a forked child, the parent's pid; 0 otherwise. A child's record lists only its own imports.</summary>
    public int ParentPid { get; init; }

    /// <summary>Current working directory at start-up.</summary>
    public string WorkingDirectory { get; init; } = "";

    /// <summary>Wall time spent in imports the hook timed (outermost imports only, so nothing counts twice), in ns.</summary>
    public long ImportNs { get; init; }

    /// <summary>The interpreter's start-to-exit wall time, in ns.</summary>
    public long RuntimeNs { get; init; }

    /// <summary>How the process ended: see <see cref="ExitReasons"/>.</summary>
    public string ExitReason { get; init; } = "";

    /// <summary>True when the process ended without a final message (SIGKILL, a crash): the record holds what was flushed.</summary>
    public bool Partial { get; init; }

    /// <summary>Every module the process imported, in import order.</summary>
    public IReadOnlyList<ModuleImport> Modules { get; init; } = [];

    /// <summary>How long each import of <see cref="Modules"/> took, by index; a module past its end was not timed.</summary>
    public IReadOnlyList<ImportTime> Times { get; init; } = [];

    /// <summary>The time of the import of <c>Modules[index]</c>; zero when not timed.</summary>
    public ImportTime TimeOf(int index) => index < Times.Count ? Times[index] : default;

    /// <summary>Shared libraries mapped at exit.</summary>
    public IReadOnlyList<SharedObject> SharedObjects { get; init; } = [];

    /// <summary>The interpreter and environment.</summary>
    public PythonEnvironment Environment { get; init; } = new();

    /// <summary>The job and MPI placement.</summary>
    public JobContext Job { get; init; } = new();

    /// <summary>What the daemon left out or cut to keep the record within <see cref="SummaryBounds"/>.</summary>
    public Clips Clipped { get; init; }
}
