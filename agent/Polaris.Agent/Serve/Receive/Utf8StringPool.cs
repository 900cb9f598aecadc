using System.Text;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Turns UTF-8 fields into strings, handing out the same string for the same bytes.</summary>
/// <remarks>
/// The records of a node repeat the same module names, files and shared objects thousands of times: decoding
/// each again would allocate a few hundred strings per record and keep the garbage collector busy. Looking the
/// bytes up costs one hash of them and allocates nothing. The pool forgets everything once it holds its bound of
/// strings or of bytes (the parser decodes no field longer than <see cref="Polaris.Wire.SummaryBounds.MaxVariableBytes"/>,
/// but 200,000 of those would be gigabytes), so a user who sprays unique names cannot grow it without limit. Not thread-safe: one per reading thread.
/// </remarks>
public sealed class Utf8StringPool(int capacity = 200_000, long maxBytes = 8L * 1024 * 1024)
{
    private readonly Dictionary<byte[], string> _strings = new(ByteKeys.Instance);
    private long _bytes;

    /// <summary>Strings held now.</summary>
    public int Count => _strings.Count;

    /// <summary>True when <paramref name="utf8"/> decodes to a string of at most <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    /// <remarks>What is sent is the decoded string, encoded again: each byte that is not UTF-8 becomes U+FFFD, three
    /// bytes, so 128 forged bytes can make a 384-byte version. Valid UTF-8 (every real record) is checked in one
    /// vectorised pass, and short fields not at all.</remarks>
    public static bool FitsIn(ReadOnlySpan<byte> utf8, int maxBytes) =>
        utf8.Length <= maxBytes
        && (utf8.Length <= maxBytes / 3 || System.Text.Unicode.Utf8.IsValid(utf8) || Encoding.UTF8.GetByteCount(Encoding.UTF8.GetString(utf8)) <= maxBytes);

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "";
        }
        var lookup = _strings.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (lookup.TryGetValue(utf8, out var known))
        {
            return known;
        }
        if (_strings.Count >= capacity || _bytes + utf8.Length > maxBytes)
        {
            _strings.Clear();
            _bytes = 0;
        }
        _bytes += utf8.Length;
        var text = Encoding.UTF8.GetString(utf8);
        lookup[utf8] = text;
        return text;
    }
}
