namespace Polaris.Wire;

/// <summary>What the daemon left out of a record or summary to keep it within <see cref="SummaryBounds"/>, by kind.</summary>
/// <remarks>
/// A real process never comes near a bound: a clip means a forged or broken record file. Clips are counted, not
/// silent, so that a person at the collector sees that a summary is not all its processes reported.
/// </remarks>
/// <param name="Modules">Modules left out: a name or file past its bound, past the modules a record or summary may
/// hold, or a name the record listed again (a process imports a name once).</param>
/// <param name="SharedObjects">Shared objects left out: a path past its bound, or past the objects a record or
/// summary may hold.</param>
/// <param name="Texts">Texts blanked (a field, version or variable past its bound) or left out (variables past their
/// count).</param>
/// <param name="Numbers">Numbers brought within their bounds: an import time, a run time, a start or end time.</param>
public readonly record struct Clips(long Modules, long SharedObjects, long Texts, long Numbers)
{
    /// <summary>True when nothing was clipped.</summary>
    public bool IsEmpty => (Modules | SharedObjects | Texts | Numbers) == 0;

    /// <summary>Both tallies added, saturating (a summary adds the clips of up to <see cref="SummaryBounds.MaxMembers"/> records).</summary>
    public static Clips operator +(Clips a, Clips b) => new(
        Saturate(a.Modules, b.Modules), Saturate(a.SharedObjects, b.SharedObjects),
        Saturate(a.Texts, b.Texts), Saturate(a.Numbers, b.Numbers));

    /// <summary>Same as <c>+</c>, for languages without operators.</summary>
    public static Clips Add(Clips left, Clips right) => left + right;

    private static long Saturate(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
