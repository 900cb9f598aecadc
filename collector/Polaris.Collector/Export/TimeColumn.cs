using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Polaris.Collector.Export;

/// <summary>A UTC instant (Parquet TIMESTAMP, milliseconds, adjusted to UTC: DuckDB's TIMESTAMP WITH TIME ZONE,
/// pandas' datetime64[ns, UTC]); the agent records milliseconds, so nothing finer is lost.</summary>
public sealed class TimeColumn<TRow>(string name, Func<TRow, DateTime?> value) : ExportColumn<TRow>(name)
{
    public override string SqlType => "TIMESTAMP WITH TIME ZONE";

    public override DataField Field { get; } =
        new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: true);

    public override Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<TRow> rows)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(rows);
        var values = new DateTime?[rows.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = value(rows[i]) is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : null;
        }
        return group.WriteAsync(Field, new ReadOnlyMemory<DateTime?>(values));
    }

    // ISO 8601 with its zone, which DuckDB's read_csv_auto and pandas' to_datetime read as UTC.
    public override string? Text(TRow row) =>
        value(row)?.ToString("yyyy-MM-dd HH:mm:ss.fff+00", CultureInfo.InvariantCulture);
}
