using Parquet;
using Parquet.Schema;

namespace Polaris.Collector.Export;

/// <summary>One column of an exported table: its name, its type as readers see it, and how a row gives its value to
/// a Parquet row group and to a CSV line.</summary>
/// <typeparam name="TRow">The table's row.</typeparam>
public abstract class ExportColumn<TRow>(string name)
{
    /// <summary>The column's name, snake_case as SQL and pandas users expect.</summary>
    public string Name { get; } = name;

    /// <summary>The type DuckDB reads the Parquet column as (<c>VARCHAR</c>, <c>BIGINT</c>, <c>TIMESTAMP WITH TIME ZONE</c>),
    /// as docs/analysis.md lists it.</summary>
    public abstract string SqlType { get; }

    /// <summary>The column in the Parquet schema; every column is nullable.</summary>
    public abstract DataField Field { get; }

    /// <summary>Writes the column of <paramref name="rows"/> into the row group, in schema order.</summary>
    public abstract Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<TRow> rows);

    /// <summary>The row's value as a CSV field, unquoted; null for an empty field.</summary>
    public abstract string? Text(TRow row);
}
