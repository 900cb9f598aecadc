namespace Polaris.Wire;

/// <summary>Constants of the batch wire format; docs/wire-format.md describes it field by field.</summary>
public static class WireFormat
{
    /// <summary>Schema version written into every batch; a decoder refuses any other.</summary>
    public const int Version = 2;

    /// <summary>Media type of a batch body: a zstd frame holding one MessagePack map.</summary>
    public const string ContentType = "application/vnd.polaris.batch+msgpack+zstd";

    /// <summary>Header that repeats the batch's idempotency key, so a proxy log shows it.</summary>
    public const string BatchKeyHeader = "Polaris-Batch-Key";

    /// <summary>zstd level: 3 is zstd's default, fast enough for a daemon that must stay idle-cheap.</summary>
    public const int CompressionLevel = 3;
}
