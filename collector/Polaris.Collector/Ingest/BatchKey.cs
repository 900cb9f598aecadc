using Polaris.Wire;

namespace Polaris.Collector.Ingest;

/// <summary>Rules for idempotency keys: short and plain, since they become database ids and log text.</summary>
public static class BatchKey
{
    private const int MaxLength = 128;

    /// <exception cref="WireFormatException">The key breaks the rules.</exception>
    public static void Validate(string key)
    {
        if (key.Length is 0 or > MaxLength || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new WireFormatException($"batch key must be 1 to {MaxLength} characters of [A-Za-z0-9._-]");
        }
    }
}
