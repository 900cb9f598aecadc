namespace Polaris.Collector.Import;

/// <summary>Reads at most a bound of bytes of an entry, and throws <see cref="ImportEntryTooLargeException"/> when
/// the entry holds more: a gzip or zstd bomb costs the bound's worth of decompression, never its claim.</summary>
/// <remarks>Throwing rather than ending quietly, so that a reader never takes a cut entry for a whole one.</remarks>
internal sealed class BoundedEntryStream : Stream
{
    private readonly Stream _inner;
    private readonly long _maxBytes;
    private long _read;

    public BoundedEntryStream(Stream inner, long maxBytes)
    {
        _inner = inner;
        _maxBytes = maxBytes;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        long left = _maxBytes - _read;
        if (left == 0)
        {
            // At the bound: one more byte says whether the entry ends here or goes on past it.
            Span<byte> probe = stackalloc byte[1];
            return _inner.Read(probe) == 0 ? 0 : throw new ImportEntryTooLargeException(_maxBytes);
        }
        int read = _inner.Read(buffer[..(int)Math.Min(buffer.Length, left)]);
        _read += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
