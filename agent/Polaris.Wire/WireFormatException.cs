namespace Polaris.Wire;

/// <summary>A batch's bytes do not follow the wire format: corrupt, truncated, too large or of an unknown version.</summary>
public sealed class WireFormatException : Exception
{
    /// <summary>Creates the exception with a message that says what was wrong.</summary>
    public WireFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the decoder's own error.</summary>
    public WireFormatException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception with no message.</summary>
    public WireFormatException() { }

    /// <summary>True when a value broke a bound of <see cref="SummaryBounds"/> rather than the format.</summary>
    internal bool OutOfBounds { get; init; }
}
