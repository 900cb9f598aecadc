using System.Numerics;

namespace Polaris.Collector.Scheduler;

/// <summary>Splits a stream into lines of at most a bound of bytes, holding no more than the bound whatever the
/// stream holds.</summary>
/// <remarks>
/// A line past the bound is read to its newline and dropped as it goes: only that it was too long is kept, so a
/// file of gigabytes without a newline costs the read buffer and the bound, never the line. Lines end at
/// <c>\n</c>; a <c>\r</c> before it is dropped, as logs copied through Windows tools carry one.
/// </remarks>
internal sealed class BoundedLineReader
{
    private const int ReadBytes = 64 * 1024;
    private const int FirstLineBytes = 8 * 1024;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private readonly byte[] _buffer = new byte[ReadBytes];
    private byte[] _line = new byte[FirstLineBytes];
    private int _start;
    private int _end;
    private bool _ended;

    public BoundedLineReader(Stream stream, int maxLineBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLineBytes);
        _stream = stream;
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>Bytes of the stream read up to the end of the last line returned, its newline included.</summary>
    public long Consumed { get; private set; }

    /// <summary>Reads the next line.</summary>
    /// <param name="line">The line without its newline; empty when <paramref name="tooLong"/>. Valid until the
    /// next call.</param>
    /// <param name="tooLong">The line was longer than the bound; its bytes were skipped.</param>
    /// <param name="terminated">A newline ended the line (false only for a last line the stream cut short).</param>
    /// <returns>False at the end of the stream, when no byte of a new line was left.</returns>
    /// <exception cref="IOException">The stream failed.</exception>
    public bool Next(out ReadOnlySpan<byte> line, out bool tooLong, out bool terminated)
    {
        int length = 0;
        bool any = false;
        tooLong = false;
        while (Fill())
        {
            any = true;
            var chunk = _buffer.AsSpan(_start, _end - _start);
            int newline = chunk.IndexOf((byte)'\n');
            var part = newline < 0 ? chunk : chunk[..newline];
            if (!tooLong)
            {
                tooLong = part.Length > _maxLineBytes - length;
                length = tooLong ? 0 : Append(part, length);
            }
            int used = newline < 0 ? chunk.Length : newline + 1;
            _start += used;
            Consumed = checked(Consumed + used);
            if (newline >= 0)
            {
                line = Trim(length);
                terminated = true;
                return true;
            }
        }
        line = Trim(length);
        terminated = false;
        return any;
    }

    private bool Fill()
    {
        if (_start < _end)
        {
            return true;
        }
        if (_ended)
        {
            return false;
        }
        _start = 0;
        _end = _stream.Read(_buffer);
        _ended = _end == 0;
        return !_ended;
    }

    // Grows to powers of two up to the bound: a stream of short lines keeps the first few kilobytes, and a long line
    // costs about twice the bound in all (sizes that merely doubled could stop just short of it, and cost it again).
    private int Append(ReadOnlySpan<byte> part, int length)
    {
        int needed = length + part.Length;
        if (needed > _line.Length)
        {
            Array.Resize(ref _line, (int)Math.Min(BitOperations.RoundUpToPowerOf2((uint)needed), (uint)_maxLineBytes));
        }
        part.CopyTo(_line.AsSpan(length));
        return needed;
    }

    private ReadOnlySpan<byte> Trim(int length) =>
        length > 0 && _line[length - 1] == (byte)'\r' ? _line.AsSpan(0, length - 1) : _line.AsSpan(0, length);
}
