using Polaris.Collector.Reports;

namespace Polaris.Collector.Dashboard;

/// <summary>The jobs and users each source saw, and those two or more of them saw in common, side by side (the study:
/// XALT saw nearly twice as many jobs as PyModuleSnooper).</summary>
public sealed class CoverageChart : IDashboardChart
{
    private static readonly string[] Series = ["jobs", "users"];

    /// <inheritdoc/>
    public string Name => Report.Name;

    /// <inheritdoc/>
    public string Heading => "Coverage by source";

    /// <inheritdoc/>
    public IReport Report { get; } = new CoverageReport();

    /// <inheritdoc/>
    public string Svg(ReportTable table, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(table);
        var cells = new ReportCells(table);
        var chart = new BarChart(Series, stacked: false);
        foreach (var row in cells.Rows)
        {
            chart.Row(null, cells.Text(row, "sources"), [.. Series.Select(s => cells.Count(row, s))]);
        }
        return chart.Render(Name, table.Title);
    }
}
