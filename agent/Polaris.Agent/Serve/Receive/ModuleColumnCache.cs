namespace Polaris.Agent.Serve.Receive;

/// <summary>Parsed module columns by their bytes: the same columns, sent by another rank or run, are looked up, not
/// parsed again.</summary>
/// <remarks>
/// The key hashes a sample of the bytes (<see cref="ByteKeys"/>), and a hit is confirmed by comparing every byte: so a
/// look-up costs one vectorised comparison, not a hash of tens of kilobytes. Before that, the columns met last are
/// compared with the start of a record's fields (<see cref="FindAtStart"/>), which spares counting the fields at all.
/// The cache forgets everything once its columns hold <c>maxBytes</c>, so a user who sends ever-new columns cannot
/// grow it.
/// Not thread-safe: one per reading thread.
/// </remarks>
internal sealed class ModuleColumnCache(Utf8StringPool strings, long maxBytes = 16L * 1024 * 1024)
{
    private const int RecentCount = 4;
    private readonly Dictionary<byte[], ModuleColumns> _columns = new(ByteKeys.Instance);
    // The columns met last, newest first: a record's fields are checked against them before its fields are counted.
    private readonly List<(byte[] Bytes, ModuleColumns Columns)> _recent = [];
    private long _bytes;

    /// <summary>Recently met columns of <paramref name="count"/> modules that <paramref name="fields"/> starts with,
    /// ending where a field ends; <paramref name="length"/> is their byte length.</summary>
    /// <remarks>Columns in the cache hold exactly the fields of their count, so a match ends where counting the
    /// fields would: one comparison of bytes instead of counting tens of thousands of them.</remarks>
    public ModuleColumns? FindAtStart(ReadOnlySpan<byte> fields, int count, out int length)
    {
        foreach (var (bytes, columns) in _recent)
        {
            if (columns.Modules.Length == count && fields.StartsWith(bytes) && (fields.Length == bytes.Length || fields[bytes.Length] == 0))
            {
                length = bytes.Length;
                Met(bytes, columns);
                return columns;
            }
        }
        length = 0;
        return null;
    }

    public ModuleColumns Get(ReadOnlySpan<byte> columns, int count)
    {
        var lookup = _columns.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (lookup.TryGetValue(columns, out var bytes, out var known) && known.Modules.Length == count)
        {
            Met(bytes, known);
            return known;
        }
        var parsed = ModuleColumns.Parse(columns, count, strings);
        if (_bytes + columns.Length > maxBytes)
        {
            _columns.Clear();
            _recent.Clear();
            _bytes = 0;
        }
        var key = columns.ToArray();
        _columns[key] = parsed;
        _bytes += columns.Length;
        Met(key, parsed);
        return parsed;
    }

    private void Met(byte[] bytes, ModuleColumns columns)
    {
        if (_recent.Count > 0 && ReferenceEquals(_recent[0].Columns, columns))
        {
            return;
        }
        for (int i = 0; i < _recent.Count; i++)
        {
            if (ReferenceEquals(_recent[i].Columns, columns))
            {
                _recent.RemoveAt(i);
                break;
            }
        }
        _recent.Insert(0, (bytes, columns));
        if (_recent.Count > RecentCount)
        {
            _recent.RemoveAt(RecentCount);
        }
    }
}
