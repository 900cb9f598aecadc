using Polaris.Collector.Reports;

namespace Polaris.Collector.Dashboard;

/// <summary>One chart of the dashboard: the report it draws and how. The figures are the report's own
/// (<see cref="IReport.Run"/>, as the API answers), so the page and <c>/api/v1/reports</c> cannot disagree.</summary>
public interface IDashboardChart
{
    /// <summary>The chart's name in <c>/dashboard/chart/NAME</c>: the report's.</summary>
    string Name { get; }

    /// <summary>The section's heading.</summary>
    string Heading { get; }

    /// <summary>The report it draws; one of <see cref="ReportCatalog.All"/>.</summary>
    IReport Report { get; }

    /// <summary>The chart of <paramref name="table"/>, what <see cref="Report"/> answered for <paramref name="query"/>,
    /// as an SVG element.</summary>
    string Svg(ReportTable table, ReportQuery query);
}
