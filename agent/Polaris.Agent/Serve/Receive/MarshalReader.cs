using System.Buffers.Binary;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Reads the few types of Python's marshal format (version 2) that the hook writes: tuples and lists of
/// floats and integers.</summary>
/// <remarks>
/// The hook turns its clock readings and thread ids into bytes with one <c>marshal.dumps</c> call, which runs in C
/// and costs the program far less than formatting numbers as text. The format is CPython's own and has been stable
/// for these types since Python 2.5: a type byte, then for a float 8 bytes little-endian (<c>g</c>), for an
/// integer 4 bytes (<c>i</c>) or a digit count and 15-bit digits (<c>l</c>), for a tuple or list a 4-byte count and
/// the items. The high bit of the type byte (a back-reference flag, unused at version 2) is ignored.
/// </remarks>
internal ref struct MarshalReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public readonly bool AtEnd => _rest.IsEmpty;

    /// <summary>Reads a tuple or list header and returns its length.</summary>
    public int SequenceLength()
    {
        var type = Type();
        if (type is not ((byte)'(' or (byte)'['))
        {
            throw new FormatException($"marshal: a sequence was expected, not type 0x{type:x2}");
        }
        int count = Int32();
        return count >= 0 && count <= _rest.Length ? count : throw new FormatException("marshal: bad sequence length");
    }

    /// <summary>Reads up to <paramref name="count"/> floats, seconds of a clock, as nanoseconds into every
    /// <paramref name="stride"/>-th long of <paramref name="into"/>; stops before the first number that is not a
    /// float within 9e9 s, and returns how many it read.</summary>
    /// <remarks>The hook's clock readings are floats: one tight loop for them, as they are a tenth of a record's
    /// work.</remarks>
    public int ReadNanoseconds(Span<long> into, int count, int stride)
    {
        var rest = _rest;
        int at = 0;
        for (int i = 0; i < count; i++, at += stride)
        {
            if (rest.Length < 9 || (rest[0] & 0x7f) != (byte)'g')
            {
                _rest = rest;
                return i;
            }
            double seconds = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(rest[1..]));
            // Finite and within 9e9 s (about 285 years of uptime); NaN fails the comparison too.
            if (!(Math.Abs(seconds) < 9e9))
            {
                _rest = rest;
                return i;
            }
            double ns = seconds * 1e9;
            into[at] = (long)(ns + (ns < 0 ? -0.5 : 0.5));
            rest = rest[9..];
        }
        _rest = rest;
        return count;
    }

    /// <summary>Reads one number: a float as it is, an integer converted to double.</summary>
    public double Number() => Type() switch
    {
        (byte)'g' => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(Take(8))),
        (byte)'i' => Int32(),
        (byte)'l' => Long(),
        var other => throw new FormatException($"marshal: a number was expected, not type 0x{other:x2}"),
    };

    /// <summary>Reads one integer (thread ids are up to 64 bits wide).</summary>
    public long Integer() => Type() switch
    {
        (byte)'i' => Int32(),
        (byte)'l' => Long(),
        var other => throw new FormatException($"marshal: an integer was expected, not type 0x{other:x2}"),
    };

    private byte Type() => (byte)(Take(1)[0] & 0x7f);

    private int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    private long Long()
    {
        int digits = Int32();
        // Compared before Math.Abs, which throws on int.MinValue.
        if (digits is < -5 or > 5)
        {
            throw new FormatException("marshal: an integer wider than 64 bits");
        }
        int size = Math.Abs(digits);
        ulong value = 0;
        var bytes = Take(2 * size);
        for (int i = size - 1; i >= 0; i--)
        {
            value = (value << 15) | (uint)(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) & 0x7fff);
        }
        return digits < 0 ? -(long)value : (long)value;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _rest.Length)
        {
            throw new FormatException("marshal: cut short");
        }
        var taken = _rest[..count];
        _rest = _rest[count..];
        return taken;
    }
}
