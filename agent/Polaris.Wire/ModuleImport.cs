namespace Polaris.Wire;

/// <summary>One module a Python process imported, as the hook saw it, with what the daemon added; how long the import
/// took is the process's own (<see cref="ProcessRecord.Times"/>), so one instance can stand for the module in every
/// record of a node.</summary>
/// <param name="Name">Fully qualified module name, for example <c>numpy.core.multiarray</c>.</param>
/// <param name="File">The module's <c>__file__</c>; empty for built-in, frozen and namespace modules.</param>
public sealed record ModuleImport(string Name, string File)
{
    /// <summary>Source, bytecode, extension, built-in, frozen or namespace.</summary>
    public ModuleKind Kind { get; init; }

    /// <summary><c>__version__</c> of a top-level package when it has one as a string; empty otherwise.</summary>
    public string Version { get; init; } = "";

    /// <summary>Where <see cref="File"/> lies; set by the daemon.</summary>
    public Origin Origin { get; init; }

    /// <summary>The top-level package: the first component of <see cref="Name"/>.</summary>
    public string TopLevel
    {
        get
        {
            var dot = Name.IndexOf('.', StringComparison.Ordinal);
            return dot < 0 ? Name : Name[..dot];
        }
    }
}
