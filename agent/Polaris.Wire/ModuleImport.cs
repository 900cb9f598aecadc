namespace Polaris.Wire;

/// <summary>One module a Python process imported, as the hook saw it in <c>sys.modules</c>.</summary>
/// <param name="Name">Fully qualified module name, for example <c>numpy.core.multiarray</c>.</param>
/// <param name="File">The module's <c>__file__</c>; empty for built-in, frozen and namespace modules.</param>
public sealed record ModuleImport(string Name, string File)
{
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
