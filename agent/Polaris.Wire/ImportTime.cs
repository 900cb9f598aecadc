namespace Polaris.Wire;

/// <summary>How long one process took to import one module.</summary>
/// <param name="CumulativeNs">Wall time including the imports it caused, in ns; 0 when the hook did not time it
/// (modules imported before the hook loaded).</param>
/// <param name="SelfNs">Wall time excluding the imports it caused, in ns.</param>
public readonly record struct ImportTime(long CumulativeNs, long SelfNs)
{
    /// <summary>True when the hook timed the import.</summary>
    public bool IsTimed => CumulativeNs > 0;
}
