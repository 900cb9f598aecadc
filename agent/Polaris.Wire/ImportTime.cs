namespace Polaris.Wire;

/// <summary>How long one process took to import one module, and whether it loaded it at start-up.</summary>
/// <param name="CumulativeNs">Wall time including the imports it caused, in ns; 0 when the hook did not time it
/// (modules imported before the hook loaded).</param>
/// <param name="SelfNs">Wall time excluding the imports it caused, in ns.</param>
public readonly record struct ImportTime(long CumulativeNs, long SelfNs)
{
    /// <summary>True when the hook timed the import.</summary>
    public bool IsTimed => CumulativeNs > 0;

    /// <summary>True when the process loaded the module at start-up (before the hook, or while <c>site</c> was still
    /// initialising: a <c>.pth</c> file's import), not as an import of the program.</summary>
    /// <remarks>Kept here, in the record's own array, because the module objects are shared by every record of a
    /// program, and one process may load at start-up what another imports itself.</remarks>
    public bool Startup { get; init; }
}
