using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace Polaris.Collector.Storage;

/// <summary>The sets of a roll-up (users, jobs) packed into one BSON binary each: numbers sorted, as varints of the gap
/// from the one before; texts sorted, each as its UTF-8 length and bytes.</summary>
/// <remarks>A year's reports read millions of set members. As BSON arrays each member is a value object to allocate
/// and then a string to hash; packed, a roll-up is a handful of byte arrays, and a job id becomes a number
/// (<see cref="JobNumber(string)"/>) without ever becoming a string, so that a year of roll-ups is read in well under a second.</remarks>
public static class PackedSet
{
    /// <summary>Numbers (user numbers, job numbers) in ascending unsigned order, without repeats.</summary>
    public static byte[] Numbers(IEnumerable<long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Select(v => (ulong)v).Distinct().Order().ToArray();
        var buffer = new ArrayBufferWriter<byte>((sorted.Length * 3) + 1);
        ulong previous = 0;
        foreach (var value in sorted)
        {
            WriteVarint(buffer, value - previous);
            previous = value;
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Adds each number of <paramref name="packed"/> to <paramref name="into"/>, through
    /// <paramref name="map"/> when given.</summary>
    public static void AddNumbers(ReadOnlySpan<byte> packed, HashSet<long> into, Func<long, long>? map = null)
    {
        ArgumentNullException.ThrowIfNull(into);
        ulong value = 0;
        for (int at = 0; at < packed.Length;)
        {
            value += ReadVarint(packed, ref at);
            into.Add(map == null ? (long)value : map((long)value));
        }
    }

    /// <summary>Texts (job keys) in ordinal order, without repeats.</summary>
    public static byte[] Texts(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var value in values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            int length = Encoding.UTF8.GetByteCount(value);
            WriteVarint(buffer, (ulong)length);
            Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
            buffer.Advance(length);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Adds each text of <paramref name="packed"/> to <paramref name="into"/>.</summary>
    public static void AddTexts(ReadOnlySpan<byte> packed, ICollection<string> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        for (int at = 0; at < packed.Length;)
        {
            int length = TextLength(packed, ref at);
            into.Add(Encoding.UTF8.GetString(packed.Slice(at, length)));
            at += length;
        }
    }

    /// <summary>Adds the <see cref="JobNumber(string)"/> of each text of <paramref name="packed"/> to <paramref name="into"/>.</summary>
    public static void AddJobNumbers(ReadOnlySpan<byte> packed, HashSet<long> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        for (int at = 0; at < packed.Length;)
        {
            int length = TextLength(packed, ref at);
            into.Add(JobNumber(packed.Slice(at, length)));
            at += length;
        }
    }

    /// <summary>A job key as a number, for counting distinct jobs: a key of up to 18 digits (a PBS or Slurm job,
    /// <c>1234501</c>) is its value; any other key a 64-bit hash of its text with the sign bit set, so that it meets
    /// no digit key and another key only by a collision of 64-bit hashes.</summary>
    public static long JobNumber(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length is > 0 and <= 18)
        {
            long value = 0;
            int i = 0;
            for (; i < utf8.Length && utf8[i] is >= (byte)'0' and <= (byte)'9'; i++)
            {
                value = (value * 10) + (utf8[i] - '0');
            }
            if (i == utf8.Length)
            {
                return value;
            }
        }
        return (long)(XxHash64.HashToUInt64(utf8) | (1UL << 63));
    }

    /// <summary>The <see cref="JobNumber(string)"/> of a job key.</summary>
    public static long JobNumber(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> utf8 = key.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        return JobNumber(utf8[..Encoding.UTF8.GetBytes(key, utf8)]);
    }

    private static int TextLength(ReadOnlySpan<byte> packed, ref int at)
    {
        ulong length = ReadVarint(packed, ref at);
        if (length > (ulong)(packed.Length - at))
        {
            throw new InvalidDataException("a packed set ends inside a text");
        }
        return (int)length;
    }

    internal static void WriteVarint(IBufferWriter<byte> buffer, ulong value)
    {
        var span = buffer.GetSpan(10);
        int n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        buffer.Advance(n);
    }

    // Stored data is the collector's own, yet a damaged file must not loop or overflow: a varint longer than 64 bits
    // or cut short is refused.
    internal static ulong ReadVarint(ReadOnlySpan<byte> packed, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (at >= packed.Length)
            {
                throw new InvalidDataException("a packed set ends inside a number");
            }
            byte b = packed[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
        throw new InvalidDataException("a packed set holds a number longer than 64 bits");
    }
}
