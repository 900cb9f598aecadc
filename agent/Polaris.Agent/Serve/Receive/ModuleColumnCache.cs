namespace Polaris.Agent.Serve.Receive;

/// <summary>Parsed module columns by their bytes: the same columns, sent by another rank or run, are looked up, not
/// parsed again.</summary>
/// <remarks>
/// The key hashes a sample of the bytes (<see cref="ByteKeys"/>), and a hit is confirmed by comparing every byte: so a
/// look-up costs one vectorised comparison, not a hash of tens of kilobytes. Before that, the columns met last are
/// compared with the start of a record's fields (<see cref="FindAtStart"/>), which spares counting the fields at all.
/// The cache forgets everything once its columns hold <c>maxBytes</c> or <c>maxModules</c>, so a user who sends
/// ever-new columns cannot grow it (a module may take as little as four bytes of columns: the bytes alone would let
/// millions of parsed modules in).
/// Not thread-safe: one per reading thread.
/// </remarks>
internal sealed class ModuleColumnCache(Utf8StringPool strings, long maxBytes = 16L * 1024 * 1024, long maxModules = 4L * Polaris.Wire.SummaryBounds.MaxModulesPerRecord)
{
    private const int RecentCount = 4;
    private readonly Dictionary<byte[], ModuleColumns> _columns = new(ByteKeys.Instance);
    // The columns met last, newest first: a record's fields are checked against them before its fields are counted.
    private readonly List<(byte[] Bytes, ModuleColumns Columns)> _recent = [];
    private long _bytes;
    private long _modules;

    /// <summary>Recently met columns of <paramref name="count"/> modules (<paramref name="keep"/> kept) that <paramref name="fields"/> starts with,
    /// ending where a field ends; <paramref name="length"/> is their byte length.</summary>
    /// <remarks>Columns in the cache hold exactly the fields of their count, so a match ends where counting the
    /// fields would: one comparison of bytes instead of counting tens of thousands of them.</remarks>
    public ModuleColumns? FindAtStart(ReadOnlySpan<byte> fields, int count, int keep, out int length)
    {
        foreach (var (bytes, columns) in _recent)
        {
            if (columns.Listed == count && columns.Modules.Length == keep && fields.StartsWith(bytes) && (fields.Length == bytes.Length || fields[bytes.Length] == 0))
            {
                length = bytes.Length;
                Met(bytes, columns);
                return columns;
            }
        }
        length = 0;
        return null;
    }

    /// <summary>The columns of a group of <paramref name="count"/> modules, keeping the first <paramref name="keep"/>.</summary>
    /// <exception cref="FormatException">The columns do not hold <paramref name="count"/> modules.</exception>
    public ModuleColumns Get(ReadOnlySpan<byte> columns, int count, int keep)
    {
        var lookup = _columns.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (lookup.TryGetValue(columns, out var bytes, out var known) && known.Listed == count && known.Modules.Length == keep)
        {
            Met(bytes, known);
            return known;
        }
        var parsed = ModuleColumns.Parse(columns, count, keep, strings);
        if (parsed.Listed != parsed.Modules.Length)
        {
            // Cut at the record's bound: no real program sends it, and its key would copy megabytes per record.
            return parsed;
        }
        if (_bytes + columns.Length > maxBytes || _modules + parsed.Modules.Length > maxModules)
        {
            _columns.Clear();
            _recent.Clear();
            _bytes = 0;
            _modules = 0;
        }
        var key = columns.ToArray();
        _columns[key] = parsed;
        _bytes += columns.Length;
        _modules += parsed.Modules.Length;
        Met(key, parsed);
        return parsed;
    }

    /// <summary>The columns of a group of <paramref name="count"/> modules, keeping all it may.</summary>
    public ModuleColumns Get(ReadOnlySpan<byte> columns, int count) =>
        Get(columns, count, Math.Min(count, Polaris.Wire.SummaryBounds.MaxModulesPerRecord));

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
