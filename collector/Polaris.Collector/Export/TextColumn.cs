using Parquet;
using Parquet.Schema;

namespace Polaris.Collector.Export;

/// <summary>A string column (Parquet UTF-8 byte array).</summary>
public sealed class TextColumn<TRow>(string name, Func<TRow, string?> value) : ExportColumn<TRow>(name)
{
    public override string SqlType => "VARCHAR";

    public override DataField Field { get; } = new DataField<string>(name, nullable: true);

    public override Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<TRow> rows)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(rows);
        var values = new string?[rows.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = value(rows[i]);
        }
        return group.WriteAsync(Field, values!);
    }

    public override string? Text(TRow row) => value(row);
}
