using ZstdSharp;

namespace Polaris.Wire;

/// <summary>Inflates a zstd frame into a buffer that grows with what actually comes out, up to a cap.</summary>
/// <remarks>
/// <c>Decompressor.Unwrap(bytes, max)</c> allocates the whole cap up front when a frame does not declare its size,
/// so sixteen tiny frames posted at once took gigabytes. Here a frame costs what it inflates to: the buffer starts
/// small, doubles as output arrives, and the decoding stops once the cap is passed, whatever the frame declares.
/// </remarks>
internal static class BoundedDecompression
{
    private const int FirstBufferBytes = 64 * 1024;

    /// <summary>The decompressed bytes of <paramref name="compressed"/>, at most <paramref name="maxBytes"/>.</summary>
    /// <param name="compressed">One or more zstd frames.</param>
    /// <param name="maxBytes">The cap.</param>
    /// <param name="reserve">Told each new buffer's size before it is allocated; may throw to stop.</param>
    /// <exception cref="WireFormatException">Not zstd, corrupt, or larger than the cap.</exception>
    public static ReadOnlyMemory<byte> Decompress(ReadOnlyMemory<byte> compressed, int maxBytes, Action<int>? reserve)
    {
        ulong declared;
        try
        {
            declared = Decompressor.GetDecompressedSize(compressed.Span);
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
            using var input = Stream(compressed);
            using var zstd = new DecompressionStream(input);
            // A declared size (never trusted past the cap) is the first guess; else start small.
            int capacity = declared > 0 ? (int)declared + 1 : Math.Min(FirstBufferBytes, maxBytes + 1);
            reserve?.Invoke(capacity);
            var buffer = new byte[capacity];
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > maxBytes)
                    {
                        throw new WireFormatException($"batch is larger than {maxBytes} bytes decompressed");
                    }
                    // One byte past the cap tells "exactly the cap" from "more".
                    int grown = (int)Math.Min((long)buffer.Length * 2, (long)maxBytes + 1);
                    reserve?.Invoke(grown);
                    Array.Resize(ref buffer, grown);
                }
                int read = zstd.Read(buffer, length, buffer.Length - length);
                if (read == 0)
                {
                    break;
                }
                length += read;
            }
            if (length > maxBytes)
            {
                throw new WireFormatException($"batch is larger than {maxBytes} bytes decompressed");
            }
            return buffer.AsMemory(0, length);
        }
        catch (ZstdException e)
        {
            throw new WireFormatException("batch is not a valid zstd frame: " + e.Message, e);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            throw new WireFormatException("batch zstd frame is invalid: " + e.Message, e);
        }
    }

    private static MemoryStream Stream(ReadOnlyMemory<byte> bytes) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);
}
