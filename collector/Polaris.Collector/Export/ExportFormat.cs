namespace Polaris.Collector.Export;

/// <summary>The file format <c>export</c> writes each partition in.</summary>
public enum ExportFormat
{
    /// <summary>Apache Parquet, Snappy-compressed, row groups of at most <see cref="PartitionWriter{TRow}.RowGroupRows"/> rows.</summary>
    Parquet,

    /// <summary>RFC 4180 CSV with a header line; an empty field is a null.</summary>
    Csv,
}
