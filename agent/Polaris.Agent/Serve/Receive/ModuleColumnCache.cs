namespace Polaris.Agent.Serve.Receive;

/// <summary>Parsed module columns by their bytes: the same columns, sent by another rank or run, are looked up, not
/// parsed again.</summary>
/// <remarks>
/// The key hashes a sample of the bytes (<see cref="ByteKeys"/>), and a hit is confirmed by comparing every byte: so a
/// look-up costs one vectorised comparison, not a hash of tens of kilobytes. The cache
/// forgets everything once its columns hold <c>maxBytes</c>, so a user who sends ever-new columns cannot grow it.
/// Not thread-safe: one per reading thread.
/// </remarks>
internal sealed class ModuleColumnCache(Utf8StringPool strings, long maxBytes = 16L * 1024 * 1024)
{
    private readonly Dictionary<byte[], ModuleColumns> _columns = new(ByteKeys.Instance);
    private long _bytes;

    /// <summary>The pool the columns' strings come from; the reader takes its other strings from it too.</summary>
    public Utf8StringPool Strings => strings;

    public ModuleColumns Get(ReadOnlySpan<byte> columns, int count)
    {
        var lookup = _columns.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (lookup.TryGetValue(columns, out var known) && known.Modules.Length == count)
        {
            return known;
        }
        var parsed = ModuleColumns.Parse(columns, count, strings);
        if (_bytes + columns.Length > maxBytes)
        {
            _columns.Clear();
            _bytes = 0;
        }
        lookup[columns] = parsed;
        _bytes += columns.Length;
        return parsed;
    }
}
