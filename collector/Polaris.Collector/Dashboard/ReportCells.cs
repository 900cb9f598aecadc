using Polaris.Collector.Reports;

namespace Polaris.Collector.Dashboard;

/// <summary>A report's cells by column name, so that a chart reads what the report calls <c>users</c> wherever the
/// column stands.</summary>
internal sealed class ReportCells(ReportTable table)
{
    /// <summary>How a report names all Python in its library column.</summary>
    public static readonly string AllPython = ReportTitles.Library(ReportData.AllPython);

    /// <summary>The rows.</summary>
    public IReadOnlyList<object[]> Rows => table.Rows;

    /// <summary>The text in <paramref name="column"/> of <paramref name="row"/>.</summary>
    public string Text(object[] row, string column) => (string)row[Index(column)];

    /// <summary>The count in <paramref name="column"/> of <paramref name="row"/>; an empty cell (a figure that does
    /// not apply, as the processes of an overlap) is 0.</summary>
    public long Count(object[] row, string column) => row[Index(column)] is long n ? n : 0;

    private int Index(string column)
    {
        int index = table.Columns.ToList().IndexOf(column);
        return index >= 0 ? index : throw new InvalidOperationException($"the report '{table.Title}' has no column '{column}'");
    }
}
