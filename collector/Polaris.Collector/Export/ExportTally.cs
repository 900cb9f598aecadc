namespace Polaris.Collector.Export;

/// <summary>What an export wrote: files, and rows per table; printed at its end.</summary>
public sealed class ExportTally
{
    private readonly Dictionary<string, (long Files, long Rows)> _tables = new(StringComparer.Ordinal);

    /// <summary>Days with at least one file written.</summary>
    public int Days { get; private set; }

    /// <summary>Partition files written.</summary>
    public long Files => _tables.Values.Sum(t => t.Files);

    /// <summary>Rows written to <paramref name="table"/>.</summary>
    public long RowsOf(string table) => _tables.TryGetValue(table, out var t) ? t.Rows : 0;

    /// <summary>Counts a committed partition file of <paramref name="rows"/> rows.</summary>
    public void Add(string table, long rows)
    {
        var t = _tables.GetValueOrDefault(table);
        _tables[table] = (t.Files + 1, t.Rows + rows);
    }

    /// <summary>Counts a day that had something to write.</summary>
    public void AddDay() => Days++;

    /// <summary>One line per table, then the totals.</summary>
    public void WriteTo(TextWriter output, IEnumerable<string> tables, string folder)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(tables);
        foreach (var table in tables)
        {
            var t = _tables.GetValueOrDefault(table);
            output.WriteLine($"{table}: {t.Rows} rows in {t.Files} files");
        }
        output.WriteLine($"{Files} files for {Days} days written under {folder}");
    }
}
