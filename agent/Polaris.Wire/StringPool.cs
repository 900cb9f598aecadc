using System.Text;

namespace Polaris.Wire;

/// <summary>Hands out one string for the same UTF-8 bytes decoded again and again: the ranks of a job on every node
/// send the same module names, files and paths, and a collector taking a burst from 10,000 nodes decoded each of them
/// 10,000 times (half of its decoding time, and most of its garbage).</summary>
/// <remarks>
/// Bounded whatever the input: a fixed number of slots, each holding the last string whose bytes hashed to it, and
/// only strings up to <see cref="MaxPooledBytes"/>; a longer one, or one whose slot holds other bytes, is decoded as
/// usual. A hit compares the bytes in full, so a crafted hash collision costs a miss, never a wrong string; the hash
/// is seeded per process (<see cref="HashCode"/>), so a sender cannot aim at a slot. Safe for concurrent decoders:
/// a slot is one reference to an immutable entry, replaced whole.
/// </remarks>
public sealed class StringPool
{
    /// <summary>Strings longer than this (in UTF-8 bytes) are not pooled.</summary>
    public const int MaxPooledBytes = 512;

    private readonly Entry?[] _slots;
    private readonly int _mask;

    /// <summary>A pool of <paramref name="slots"/> slots (rounded up to a power of two): at most that many strings of
    /// at most <see cref="MaxPooledBytes"/> bytes each are kept.</summary>
    public StringPool(int slots = 16 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)slots);
        _slots = new Entry?[size];
        _mask = size - 1;
    }

    /// <summary>The string of <paramref name="utf8"/> (invalid sequences decoded as U+FFFD, as
    /// <see cref="Encoding.UTF8"/> does).</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxPooledBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }
        var hash = default(HashCode);
        hash.AddBytes(utf8);
        ref var slot = ref _slots[hash.ToHashCode() & _mask];
        var entry = Volatile.Read(ref slot);
        if (entry != null && utf8.SequenceEqual(entry.Utf8))
        {
            return entry.Value;
        }
        var value = Encoding.UTF8.GetString(utf8);
        Volatile.Write(ref slot, new Entry(utf8.ToArray(), value));
        return value;
    }

    private sealed record Entry(byte[] Utf8, string Value);
}
