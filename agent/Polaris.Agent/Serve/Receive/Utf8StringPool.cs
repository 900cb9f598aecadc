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
