namespace Polaris.Collector.Export;

/// <summary>Writes one partition of a table, <c>OUT/TABLE/day=YYYY-MM-DD/part-0.EXT</c>: rows are added one at a time
/// and written in groups of at most <see cref="RowGroupRows"/>, so a day of any size costs one group's memory.</summary>
/// <remarks>
/// The rows go to a hidden temporary file beside the partition's (readers skip names starting with a dot) and
/// <see cref="CommitAsync"/> renames it over the partition's file: a reader, or an export interrupted, never sees
/// half a file, and exporting a day again replaces that day's file whole. Disposed without a commit, the temporary
/// file is deleted and the partition's file stays as it was.
/// </remarks>
public abstract class PartitionWriter<TRow> : IAsyncDisposable
{
    /// <summary>Rows per Parquet row group (and per buffered CSV write): about 10 to 30 MB of rows in memory.</summary>
    public const int RowGroupRows = 100_000;

    private readonly List<TRow> _rows = new(RowGroupRows);
    private bool _committed;
    private bool _closed;

    /// <param name="table">The table written.</param>
    /// <param name="path">The partition's file.</param>
    protected PartitionWriter(ExportTable<TRow> table, string path)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(path);
        Table = table;
        Path = path;
        var folder = System.IO.Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        TemporaryPath = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
    }

    /// <summary>The table written.</summary>
    public ExportTable<TRow> Table { get; }

    /// <summary>The partition's file, once committed.</summary>
    public string Path { get; }

    /// <summary>Where the rows are written until the commit.</summary>
    protected string TemporaryPath { get; }

    /// <summary>Rows added.</summary>
    public long Rows { get; private set; }

    /// <summary>A writer of <paramref name="format"/> for the partition of <paramref name="day"/> under
    /// <paramref name="output"/>.</summary>
    public static PartitionWriter<TRow> Open(ExportFormat format, ExportTable<TRow> table, string output, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(table);
        var path = PathOf(table.Name, output, day, format == ExportFormat.Parquet ? "parquet" : "csv");
        return format == ExportFormat.Parquet ? new ParquetPartitionWriter<TRow>(table, path) : new CsvPartitionWriter<TRow>(table, path);
    }

    /// <summary>The partition's file: <c>OUTPUT/TABLE/day=YYYY-MM-DD/part-0.EXTENSION</c>, Hive's layout.</summary>
    public static string PathOf(string table, string output, DateOnly day, string extension) =>
        System.IO.Path.Combine(output, table, $"{ExportTables.DayColumn}={day:yyyy-MM-dd}", "part-0." + extension);

    /// <summary>Adds a row; a full group is written.</summary>
    public async Task AddAsync(TRow row)
    {
        _rows.Add(row);
        Rows++;
        if (_rows.Count >= RowGroupRows)
        {
            await WriteGroupAsync(_rows).ConfigureAwait(false);
            _rows.Clear();
        }
    }

    /// <summary>Writes what is left, closes the file and renames it over the partition's.</summary>
    public async Task CommitAsync()
    {
        if (_rows.Count > 0)
        {
            await WriteGroupAsync(_rows).ConfigureAwait(false);
            _rows.Clear();
        }
        await CloseOnceAsync().ConfigureAwait(false);
        // rename(2) within one folder: atomic, and a file of the same name is replaced.
        File.Move(TemporaryPath, Path, overwrite: true);
        _committed = true;
    }

    /// <summary>Writes one group of rows to the temporary file.</summary>
    protected abstract Task WriteGroupAsync(IReadOnlyList<TRow> rows);

    /// <summary>Finishes and closes the temporary file.</summary>
    protected abstract ValueTask CloseAsync();

    private async ValueTask CloseOnceAsync()
    {
        if (!_closed)
        {
            _closed = true;
            await CloseAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            try
            {
                await CloseOnceAsync().ConfigureAwait(false);
            }
            finally
            {
                File.Delete(TemporaryPath);
            }
        }
        GC.SuppressFinalize(this);
    }
}
