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

    /// <summary>Decompresses and decodes a batch, enforcing <paramref name="limits"/>.</summary>
    /// <exception cref="WireFormatException">The bytes are not a valid batch within the limits.</exception>
    public static Batch Decode(ReadOnlySpan<byte> compressed, WireLimits? limits = null)
    {
        limits ??= WireLimits.Default;
        if (compressed.Length > limits.MaxCompressedBytes)
        {
            throw new WireFormatException($"batch is {compressed.Length} bytes compressed; the limit is {limits.MaxCompressedBytes}");
        }
        byte[] plain = Decompress(compressed, limits.MaxDecompressedBytes);
        try
        {
            var reader = new MessagePackReader(plain);
            var batch = BatchReader.Read(ref reader);
            if (!reader.End)
            {
                throw new WireFormatException("trailing bytes after the batch");
            }
            return batch;
        }
        catch (MessagePackSerializationException e)
        {
            throw new WireFormatException("batch is not valid MessagePack: " + e.Message, e);
        }
        catch (EndOfStreamException e)
        {
            throw new WireFormatException("batch is truncated", e);
        }
    }

    private static byte[] Decompress(ReadOnlySpan<byte> compressed, int maxBytes)
    {
        ulong declared;
        try
        {
            declared = Decompressor.GetDecompressedSize(compressed);
        }
        catch (ZstdException e)
        {
            throw new WireFormatException("batch is not a zstd frame: " + e.Message, e);
        }
        if (declared > (ulong)maxBytes)
        {
            throw new WireFormatException($"batch declares {declared} bytes decompressed; the limit is {maxBytes}");
        }
        try
        {
            using var decompressor = new Decompressor();
            return decompressor.Unwrap(compressed, maxBytes).ToArray();
        }
        catch (ZstdException e)
        {
            throw new WireFormatException("batch is not a valid zstd frame: " + e.Message, e);
        }
        catch (ArgumentException e)
        {
            throw new WireFormatException("batch zstd frame is invalid: " + e.Message, e);
        }
    }
}
