namespace Polaris.Collector.Reports;

/// <summary>A report's answer: a title, columns, and rows of cells (text or numbers), which the table, CSV and JSON
/// writers print alike.</summary>
/// <param name="title">What the table shows, with the days and filters it covers.</param>
/// <param name="columns">The columns' names: lower case with dashes, as JSON keys and CSV headers.</param>
public sealed class ReportTable(string title, IReadOnlyList<string> columns)
{
    private readonly List<object[]> _rows = [];

    public string Title { get; } = title;

    public IReadOnlyList<string> Columns { get; } = columns;

    /// <summary>The rows: each cell a <see cref="string"/>, a <see cref="long"/> or a <see cref="double"/>.</summary>
    public IReadOnlyList<object[]> Rows => _rows;

    /// <summary>Lines under the table: what the figures mean where a reader could take them otherwise.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Adds a row of one cell per column.</summary>
    public void Add(params object[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != Columns.Count || cells.Any(c => c is not (string or long or double)))
        {
            throw new ArgumentException($"a row of {Title} needs {Columns.Count} cells, each text, a long or a double");
        }
        _rows.Add(cells);
    }
}
