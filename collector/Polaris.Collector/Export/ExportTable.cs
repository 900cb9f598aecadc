namespace Polaris.Collector.Export;

/// <summary>A table <c>export</c> writes: its folder's name under the output and its columns, in file order. Its
/// partition column (<c>day</c>) is in the path, not in the files, as Spark writes partitioned tables: a reader given
/// <c>hive_partitioning</c> adds it, and none finds it twice.</summary>
public sealed class ExportTable<TRow>(string name, IReadOnlyList<ExportColumn<TRow>> columns)
{
    /// <summary>The table's folder: <c>OUT/NAME/day=YYYY-MM-DD/part-0.EXT</c>.</summary>
    public string Name { get; } = name;

    public IReadOnlyList<ExportColumn<TRow>> Columns { get; } = columns;
}
