using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Polaris.Collector.Export;

/// <summary>An integer column (Parquet INT64): counts, ids and nanoseconds alike, so that no reader has to widen one.</summary>
public sealed class NumberColumn<TRow>(string name, Func<TRow, long?> value) : ExportColumn<TRow>(name)
{
    public override string SqlType => "BIGINT";

    public override DataField Field { get; } = new DataField<long?>(name, nullable: true);

    public override Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<TRow> rows)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(rows);
        var values = new long?[rows.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = value(rows[i]);
        }
        return group.WriteAsync(Field, new ReadOnlyMemory<long?>(values));
    }

    public override string? Text(TRow row) => value(row)?.ToString(CultureInfo.InvariantCulture);
}
