namespace Polaris.Collector.Import;

/// <summary>An input entry held more bytes (once decompressed) than the walk reads of one entry.</summary>
/// <remarks>An <see cref="IOException"/>, so that a reader handles it with every other failure to read an entry.</remarks>
public sealed class ImportEntryTooLargeException : IOException
{
    /// <summary>An entry past <paramref name="maxBytes"/>.</summary>
    public ImportEntryTooLargeException(long maxBytes)
        : base($"the entry is larger than {maxBytes} bytes")
    {
        MaxBytes = maxBytes;
    }

    /// <summary>The bound it passed.</summary>
    public long MaxBytes { get; }
}
