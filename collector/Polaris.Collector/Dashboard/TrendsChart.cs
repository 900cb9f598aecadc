using Polaris.Collector.Reports;

namespace Polaris.Collector.Dashboard;

/// <summary>Daily distinct users over the query's days, a line per library and one for all Python.</summary>
public sealed class TrendsChart : IDashboardChart
{
    /// <inheritdoc/>
    public string Name => Report.Name;

    /// <inheritdoc/>
    public string Heading => "Daily users";

    /// <inheritdoc/>
    public IReport Report { get; } = new TrendsReport();

    /// <inheritdoc/>
    public string Svg(ReportTable table, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(query);
        var cells = new ReportCells(table);
        // The query's days, not the rows': a day without use has no row, and the line is at 0 there.
        var chart = new LineChart(query.Since, query.Until, "users");
        foreach (var row in cells.Rows)
        {
            chart.Point(cells.Text(row, "library"), DateOnly.ParseExact(cells.Text(row, "day"), ReportQuery.DateFormat, System.Globalization.CultureInfo.InvariantCulture),
                cells.Count(row, "users"));
        }
        return chart.Render(Name, table.Title);
    }
}
