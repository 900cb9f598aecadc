namespace Polaris.Agent.Serve.Receive;

/// <summary>Compares byte-array keys, and looks them up by a span of bytes without copying it.</summary>
/// <remarks>
/// A short key is hashed whole. A long one (a group's module columns, tens of kilobytes) is hashed by a sample: its
/// length, both ends and a few words in between; equal keys still hash alike, and a lookup confirms a hit by
/// comparing every byte, which is one vectorised pass instead of a hash of the whole key.
/// </remarks>
internal sealed class ByteKeys : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    private const int Edge = 64;

    public static readonly ByteKeys Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var hash = new HashCode();
        hash.Add(alternate.Length);
        if (alternate.Length <= 4 * Edge)
        {
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }
        hash.AddBytes(alternate[..Edge]);
        hash.AddBytes(alternate[^Edge..]);
        int step = alternate.Length / 17;
        for (int at = step; at + 8 <= alternate.Length - Edge; at += step)
        {
            hash.AddBytes(alternate.Slice(at, 8));
        }
        return hash.ToHashCode();
    }

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
}
