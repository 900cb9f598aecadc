using Polaris.Collector.Reports;

namespace Polaris.Collector.Dashboard;

/// <summary>Per library, its users in the base environment only, custom environments only, both, or neither, end to
/// end (the study's PyTorch and TensorFlow bars).</summary>
public sealed class EnvironmentsChart : IDashboardChart
{
    private static readonly string[] Series = ["base-only", "custom-only", "both", "other-only"];

    /// <inheritdoc/>
    public string Name => Report.Name;

    /// <inheritdoc/>
    public string Heading => "Users by environment";

    /// <inheritdoc/>
    public IReport Report { get; } = new EnvironmentsReport();

    /// <inheritdoc/>
    public string Svg(ReportTable table, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(table);
        var cells = new ReportCells(table);
        var chart = new BarChart(Series, stacked: true);
        foreach (var row in cells.Rows)
        {
            chart.Row(null, cells.Text(row, "library"), [.. Series.Select(s => cells.Count(row, s))]);
        }
        return chart.Render(Name, table.Title);
    }
}
