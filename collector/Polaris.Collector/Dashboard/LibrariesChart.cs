using Polaris.Collector.Reports;

namespace Polaris.Collector.Dashboard;

/// <summary>The libraries with the most distinct users, a bar each (the study's bar charts); all Python's users in the
/// chart's title, not as a bar that would dwarf the others.</summary>
public sealed class LibrariesChart : IDashboardChart
{
    /// <summary>Bars shown.</summary>
    public const int Top = 20;

    /// <inheritdoc/>
    public string Name => Report.Name;

    /// <inheritdoc/>
    public string Heading => $"Top {Top} libraries by distinct users";

    /// <inheritdoc/>
    public IReport Report { get; } = new LibrariesReport();

    /// <inheritdoc/>
    public string Svg(ReportTable table, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(table);
        var cells = new ReportCells(table);
        var chart = new BarChart(["users"], stacked: false);
        long python = 0;
        foreach (var row in cells.Rows)
        {
            // The report puts all Python first: a library that calls itself "(all Python)" ranks after it.
            if (row == cells.Rows[0] && cells.Text(row, "library") == ReportCells.AllPython)
            {
                python = cells.Count(row, "users");
                continue;
            }
            if (chart.Count < Top)
            {
                chart.Row(null, cells.Text(row, "library"), cells.Count(row, "users"));
            }
        }
        return chart.Render(Name, $"{table.Title} ({python} Python users; top {Top})");
    }
}
