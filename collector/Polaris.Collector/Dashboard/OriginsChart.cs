using Polaris.Collector.Reports;

namespace Polaris.Collector.Dashboard;

/// <summary>Where libraries are loaded from: per library, its module loads by origin end to end, the libraries loaded
/// most from home directories and user sites first (the origins report's order); the total first.</summary>
public sealed class OriginsChart : IDashboardChart
{
    /// <summary>Libraries drawn after the total.</summary>
    public const int Libraries = 15;

    private static readonly string[] Series = ["home", "user-site", "project", "base-env", "custom-env", "venv", "system", "cwd", "other", "unknown"];

    /// <inheritdoc/>
    public string Name => Report.Name;

    /// <inheritdoc/>
    public string Heading => "Where libraries are loaded from";

    /// <inheritdoc/>
    public IReport Report { get; } = new OriginsReport();

    /// <inheritdoc/>
    public string Svg(ReportTable table, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(table);
        var cells = new ReportCells(table);
        var chart = new BarChart(Series, stacked: true);
        foreach (var row in cells.Rows.Take(Libraries + 1))
        {
            chart.Row(null, cells.Text(row, "library"), [.. Series.Select(s => cells.Count(row, s))]);
        }
        return chart.Render(Name, table.Title);
    }
}
