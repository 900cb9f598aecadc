using Polaris.Collector.Access;

namespace Polaris.Collector.Dashboard;

/// <summary>The dashboard's charts, in the page's order.</summary>
public static class DashboardCharts
{
    /// <summary>Every chart; each draws a report of aggregates only (checked at start: the dashboard takes the read
    /// level, and a chart of a report that names users or jobs would show them to a read token).</summary>
    public static readonly IReadOnlyList<IDashboardChart> All = Checked(
    [
        new LibrariesChart(),
        new DomainsChart(),
        new EnvironmentsChart(),
        new TrendsChart(),
        new OriginsChart(),
        new CoverageChart(),
    ]);

    /// <summary>The chart named <paramref name="name"/>, or null.</summary>
    public static IDashboardChart? Find(string name) => All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    private static IDashboardChart[] Checked(IDashboardChart[] charts) =>
        charts.FirstOrDefault(c => c.Report.Level != ReadLevel.Aggregates) is { } chart
            ? throw new InvalidOperationException($"the dashboard's chart '{chart.Name}' draws a report at {chart.Report.Level}")
            : charts;
}
