namespace Polaris.Wire;

/// <summary>What one Python process reports, enriched by the node daemon.</summary>
/// <remarks>
/// <see cref="Uid"/>, <see cref="User"/> and <see cref="Pid"/> come from the kernel's credentials for the
/// socket the record arrived on, never from the record's own text.
/// </remarks>
public sealed record ProcessRecord
{
    /// <summary>Host name of the node the process ran on.</summary>
    public required string Host { get; init; }

    /// <summary>Kernel-reported user id of the sending process.</summary>
    public required uint Uid { get; init; }

    /// <summary>User name resolved from <see cref="Uid"/> through the passwd database; empty when unknown.</summary>
    public required string User { get; init; }

    /// <summary>Kernel-reported process id of the sending process.</summary>
    public required int Pid { get; init; }

    /// <summary>Python version as <c>major.minor.micro</c>.</summary>
    public string PythonVersion { get; init; } = "";

    /// <summary>The interpreter, <c>sys.executable</c>.</summary>
    public string Executable { get; init; } = "";

    /// <summary>When the interpreter started, Unix time in milliseconds.</summary>
    public long StartedAtMs { get; init; }

    /// <summary>When the hook sent the record (interpreter exit), Unix time in milliseconds.</summary>
    public long EndedAtMs { get; init; }

    /// <summary>Every module the process had imported when it exited, in import order.</summary>
    public IReadOnlyList<ModuleImport> Modules { get; init; } = [];
}
