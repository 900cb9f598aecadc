namespace Polaris.Wire;

/// <summary>One module a Python process imported, as the hook saw it, with what the daemon added.</summary>
/// <param name="Name">Fully qualified module name, for example <c>numpy.core.multiarray</c>.</param>
/// <param name="File">The module's <c>__file__</c>; empty for built-in, frozen and namespace modules.</param>
public sealed record ModuleImport(string Name, string File)
{
    /// <summary>Source, bytecode, extension, built-in, frozen or namespace.</summary>
    public ModuleKind Kind { get; init; }

    /// <summary>Wall time of the import including the imports it caused, in ns; 0 when the hook did not time it
    /// (modules imported before the hook loaded).</summary>
    public long CumulativeNs { get; init; }

    /// <summary>Wall time of the import excluding the imports it caused, in ns.</summary>
    public long SelfNs { get; init; }

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
