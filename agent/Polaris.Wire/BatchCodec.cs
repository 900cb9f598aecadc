using System.Buffers;
using MessagePack;
using ZstdSharp;

namespace Polaris.Wire;

/// <summary>Turns a <see cref="Batch"/> into the bytes that travel (MessagePack, then zstd) and back.</summary>
/// <remarks>
/// Uses <see cref="MessagePackWriter"/> and <see cref="MessagePackReader"/> by hand rather than
/// <c>MessagePackSerializer</c>: the reflection-based resolver is not native-AOT safe, and maps with
/// string keys let either side add fields without breaking the other.
/// </remarks>
public static class BatchCodec
{
    // The MessagePack bytes of the last batch encoded on this thread, kept for the next: a daemon's batch is a few
    // hundred kilobytes before compression, and a new buffer each time went to the large object heap, grew by
    // doubling, and was left for a full collection.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_plain;
    // Room for the compressed bytes, at least the compressor's bound; only what it wrote is copied out.
    [ThreadStatic]
    private static byte[]? t_compressed;

    /// <summary>Encodes and compresses a batch.</summary>
    public static byte[] Encode(Batch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var buffer = t_plain ??= new ArrayBufferWriter<byte>(64 * 1024);
        buffer.ResetWrittenCount();
        var writer = new MessagePackWriter(buffer);
        BatchWriter.Write(ref writer, batch);
        writer.Flush();
        using var compressor = new Compressor(WireFormat.CompressionLevel);
        int bound = Compressor.GetCompressBound(buffer.WrittenCount);
        if (t_compressed == null || t_compressed.Length < bound)
        {
            t_compressed = GC.AllocateUninitializedArray<byte>(bound);
        }
        int length = compressor.Wrap(buffer.WrittenSpan, t_compressed);
        return t_compressed.AsSpan(0, length).ToArray();
    }

    /// <summary>Decompresses and decodes a batch, enforcing <paramref name="limits"/>; every summary must be valid.</summary>
    /// <exception cref="WireFormatException">The bytes are not a valid batch within the limits, or a summary is refused.</exception>
    public static Batch Decode(ReadOnlyMemory<byte> compressed, WireLimits? limits = null)
    {
        var received = Receive(compressed, limits);
        return received.Refused.Count == 0
            ? received.Batch
            : throw new WireFormatException($"summary {received.Refused[0].Index} is refused: {received.Refused[0].Reason}");
    }

    /// <summary>Decompresses and decodes a batch as a collector takes it in: a summary that is malformed or out of
    /// <see cref="SummaryBounds"/> is refused alone, and the others stand.</summary>
    /// <param name="compressed">The zstd frame.</param>
    /// <param name="limits">Bounds of the compressed and decompressed sizes.</param>
    /// <param name="reserve">Called with the size of each buffer the decompressor is about to allocate, and with what
    /// the decoded objects will hold (estimated, in chunks of <see cref="DecodedBytes.ChunkBytes"/>), before they are
    /// made; it may throw to stop the decoding (a collector's memory budget across requests).</param>
    /// <param name="strings">Where strings that recur across batches are shared (a collector's); null to make each anew.</param>
    /// <exception cref="WireFormatException">The bytes are not a batch: not zstd, past the limits, not MessagePack,
    /// another version, no key, or batch fields out of range.</exception>
    public static ReceivedBatch Receive(ReadOnlyMemory<byte> compressed, WireLimits? limits = null, Action<int>? reserve = null, StringPool? strings = null)
    {
        limits ??= WireLimits.Default;
        if (compressed.Length > limits.MaxCompressedBytes)
        {
            throw new WireFormatException($"batch is {compressed.Length} bytes compressed; the limit is {limits.MaxCompressedBytes}");
        }
        using var plain = BoundedDecompression.Decompress(compressed, limits.MaxDecompressedBytes, reserve);
        var refused = new List<SummaryRefusal>();
        try
        {
            var reader = new MessagePackReader(plain.Bytes);
            var batch = BatchReader.Read(ref reader, refused, new DecodedBytes(reserve), strings);
            if (!reader.End)
            {
                throw new WireFormatException("trailing bytes after the batch");
            }
            return new ReceivedBatch(batch, refused);
        }
        catch (MessagePackSerializationException e)
        {
            throw new WireFormatException("batch is not valid MessagePack: " + e.Message, e);
        }
        catch (EndOfStreamException e)
        {
            throw new WireFormatException("batch is truncated", e);
        }
        catch (OverflowException e)
        {
            throw new WireFormatException("a batch field is out of range: " + e.Message, e);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // MessagePackReader.Skip over a string or binary that runs past the end of a multi-segment buffer.
            throw new WireFormatException("batch is truncated inside a value", e);
        }
    }
}
