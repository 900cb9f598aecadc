using System.Buffers;
using ZstdSharp;

namespace Polaris.Wire;

/// <summary>Inflates a zstd frame into pooled segments that are taken as output arrives, up to a cap.</summary>
/// <remarks>
/// <c>Decompressor.Unwrap(bytes, max)</c> allocates what the frame's headers claim (up to the cap) and then copies
/// what came out, so sixteen frames of a few kilobytes posted at once took gigabytes. Here a frame costs what it
/// actually inflates to, in 1 MiB segments rented from the shared pool and given back once the batch is read
/// (nothing is copied, and no garbage is left for a full collection); decoding stops once the cap is passed,
/// whatever the frame declares.
/// </remarks>
internal sealed class BoundedDecompression : IDisposable
{
    private const int FirstSegmentBytes = 64 * 1024;
    private const int SegmentBytes = 1024 * 1024;
    private const int WindowLogMax = 23;

    // How much larger than its compressed bytes a frame inflated in one call may claim to be; the agent's batches
    // compress about five times.
    private const ulong MaxRatio = 64;

    private readonly List<byte[]> _rented = [];

    private BoundedDecompression()
    {
    }

    /// <summary>The decompressed bytes, valid until disposed.</summary>
    public ReadOnlySequence<byte> Bytes { get; private set; }

    /// <summary>Inflates <paramref name="compressed"/> to at most <paramref name="maxBytes"/>.</summary>
    /// <param name="compressed">One or more zstd frames.</param>
    /// <param name="maxBytes">The cap.</param>
    /// <param name="reserve">Told each segment's size before it is rented; may throw to stop.</param>
    /// <exception cref="WireFormatException">Not zstd, corrupt, or larger than the cap.</exception>
    public static BoundedDecompression Decompress(ReadOnlyMemory<byte> compressed, int maxBytes, Action<int>? reserve)
    {
        ulong claimed;
        try
        {
            // The content size the frame declares, or else the most its block headers can produce.
            claimed = Decompressor.GetDecompressedSize(compressed.Span);
        }
        catch (ZstdException e)
        {
            throw new WireFormatException("batch is not a zstd frame: " + e.Message, e);
        }
        if (claimed > (ulong)maxBytes)
        {
            throw new WireFormatException($"batch declares {claimed} bytes decompressed; the limit is {maxBytes}");
        }
        var result = new BoundedDecompression();
        try
        {
            result.Inflate(compressed, maxBytes, reserve, claimed);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    // One context per thread, for batches inflated in one call: a stream's context and its finalizable handle made
    // for every post were a tenth of a collector's decoding time in a burst.
    [ThreadStatic]
    private static Decompressor? t_decompressor;

    private void Inflate(ReadOnlyMemory<byte> compressed, int maxBytes, Action<int>? reserve, ulong claimed)
    {
        // In one call when the claim is at most a segment and one a real frame could make good: a claim far past what
        // the bytes can hold (empty blocks, a declared size with no data) streams, and costs what it produces.
        if (claimed <= SegmentBytes && claimed <= (MaxRatio * (ulong)compressed.Length) + FirstSegmentBytes)
        {
            InflateWhole(compressed, (int)claimed, reserve);
            return;
        }
        var segments = new List<ReadOnlyMemory<byte>>();
        long total = 0;
        try
        {
            using var input = Stream(compressed);
            using var zstd = new DecompressionStream(input);
            // The decoder keeps a buffer of the frame's window (a header field the sender chooses, up to 2 GiB); the
            // agent's level-3 frames use 2 MiB at most.
            zstd.SetParameter(ZstdSharp.Unsafe.ZSTD_dParameter.ZSTD_d_windowLogMax, WindowLogMax);
            while (true)
            {
                // The first segment holds what the frame claims, up to a segment, and a byte more to see it end: a batch
                // of up to 1 MiB (every batch of a burst) then lies in one piece, which the reader walks much faster
                // than a chain. A frame that claims more than it holds costs at most the segment it would take anyway.
                int size = _rented.Count == 0 ? (int)Math.Clamp(claimed + 1, FirstSegmentBytes, SegmentBytes) : SegmentBytes;
                reserve?.Invoke(size);
                var segment = ArrayPool<byte>.Shared.Rent(size);
                _rented.Add(segment);
                int used = 0;
                while (used < segment.Length)
                {
                    int read = zstd.Read(segment, used, segment.Length - used);
                    if (read == 0)
                    {
                        break;
                    }
                    used += read;
                    if (total + used > maxBytes)
                    {
                        throw new WireFormatException($"batch is larger than {maxBytes} bytes decompressed");
                    }
                }
                total += used;
                if (used > 0)
                {
                    segments.Add(segment.AsMemory(0, used));
                }
                if (used < segment.Length)
                {
                    break;
                }
            }
        }
        catch (ZstdException e)
        {
            throw new WireFormatException("batch is not a valid zstd frame: " + e.Message, e);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            throw new WireFormatException("batch zstd frame is invalid: " + e.Message, e);
        }
        Bytes = Sequence.Of(segments);
    }

    /// <summary>Inflates a frame that can produce at most <paramref name="claimed"/> bytes (a declared content size,
    /// or what its block headers allow) in one call into one segment of that size: the decoder writes no further, so
    /// the frame costs what it claims and nothing more, and the reader gets the batch in one piece.</summary>
    private void InflateWhole(ReadOnlyMemory<byte> compressed, int claimed, Action<int>? reserve)
    {
        // The pool hands out powers of two: the lease is charged what is held, not what was asked.
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(claimed, 1));
        reserve?.Invoke(size);
        var segment = ArrayPool<byte>.Shared.Rent(size);
        _rented.Add(segment);
        int used;
        try
        {
            used = (t_decompressor ??= new Decompressor()).Unwrap(compressed.Span, segment.AsSpan(0, claimed));
        }
        catch (Exception e) when (e is ZstdException or ArgumentException or InvalidOperationException)
        {
            throw new WireFormatException("batch is not a valid zstd frame: " + e.Message, e);
        }
        Bytes = used == 0 ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(segment, 0, used);
    }

    private static MemoryStream Stream(ReadOnlyMemory<byte> bytes) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);

    /// <summary>Gives the segments back to the pool: nothing read from them may be used after.</summary>
    public void Dispose()
    {
        Bytes = ReadOnlySequence<byte>.Empty;
        foreach (var segment in _rented)
        {
            ArrayPool<byte>.Shared.Return(segment);
        }
        _rented.Clear();
    }

    /// <summary>Chains memory blocks into one <see cref="ReadOnlySequence{T}"/>.</summary>
    private sealed class Sequence : ReadOnlySequenceSegment<byte>
    {
        private Sequence(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Of(List<ReadOnlyMemory<byte>> blocks)
        {
            if (blocks.Count == 0)
            {
                return ReadOnlySequence<byte>.Empty;
            }
            var first = new Sequence(blocks[0], 0);
            var last = first;
            for (int i = 1; i < blocks.Count; i++)
            {
                var next = new Sequence(blocks[i], last.RunningIndex + last.Memory.Length);
                last.Next = next;
                last = next;
            }
            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }
}
