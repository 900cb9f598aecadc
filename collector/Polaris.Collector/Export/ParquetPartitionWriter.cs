using Parquet;
using Parquet.Schema;

namespace Polaris.Collector.Export;

/// <summary>A partition as one Parquet file: one row group per <see cref="PartitionWriter{TRow}.RowGroupRows"/> rows,
/// Snappy-compressed (what every reader, pyarrow to Spark, reads without asking).</summary>
public sealed class ParquetPartitionWriter<TRow> : PartitionWriter<TRow>
{
    private readonly ParquetSchema _schema;
    private FileStream? _file;
    private ParquetWriter? _writer;

    public ParquetPartitionWriter(ExportTable<TRow> table, string path) : base(table, path)
    {
        _schema = new ParquetSchema(table.Columns.Select(c => (Field)c.Field));
    }

    protected override async Task WriteGroupAsync(IReadOnlyList<TRow> rows)
    {
        if (_writer == null)
        {
            _file = new FileStream(TemporaryPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            _writer = await ParquetWriter.CreateAsync(_schema, _file, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }).ConfigureAwait(false);
        }
        using var group = _writer.CreateRowGroup();
        foreach (var column in Table.Columns)
        {
            await column.WriteAsync(group, rows).ConfigureAwait(false);
        }
    }

    protected override async ValueTask CloseAsync()
    {
        if (_writer == null)
        {
            // No row at all: still a valid file with the schema, which readers take as an empty table.
            await WriteGroupAsync([]).ConfigureAwait(false);
        }
        await _writer!.DisposeAsync().ConfigureAwait(false);
        await _file!.DisposeAsync().ConfigureAwait(false);
        _writer = null;
        _file = null;
    }
}
