namespace Polaris.Wire;

/// <summary>Why a summary was refused, in few enough classes to label a metric with.</summary>
public enum SummaryRefusalKind
{
    /// <summary>Not the wire format inside: a value of the wrong type or out of its type's range, a list too short.</summary>
    Malformed,

    /// <summary>Past a bound of <see cref="SummaryBounds"/> or inconsistent (counts, members, times, distributions).</summary>
    OutOfBounds,

    /// <summary>Too large to store: past <see cref="SummaryBounds.MaxSummaryBytes"/> encoded, or past the store's document limit.</summary>
    TooLarge,
}
