using Polaris.Collector.Reports;

namespace Polaris.Collector.Dashboard;

/// <summary>Per science domain, its libraries with the most distinct users (the study: Computer Science dominated by
/// NumPy, SciPy and Pandas), a group of bars per domain with its own scale.</summary>
public sealed class DomainsChart : IDashboardChart
{
    /// <summary>Bars shown per domain.</summary>
    public const int PerDomain = 8;

    /// <inheritdoc/>
    public string Name => Report.Name;

    /// <inheritdoc/>
    public string Heading => $"Top {PerDomain} libraries per science domain";

    /// <inheritdoc/>
    public IReport Report { get; } = new DomainsReport();

    /// <inheritdoc/>
    public string Svg(ReportTable table, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(table);
        var cells = new ReportCells(table);
        var chart = new BarChart(["users"], stacked: false);
        foreach (var domain in cells.Rows.GroupBy(r => cells.Text(r, "domain"), StringComparer.Ordinal))
        {
            var rows = domain.ToList();
            // Each domain's rows start with all Python's, whose users are the domain's.
            bool first = cells.Text(rows[0], "library") == ReportCells.AllPython;
            chart.Group(domain.Key, first ? $"{domain.Key} (Python users: {cells.Count(rows[0], "users")})" : domain.Key);
            foreach (var row in rows.Skip(first ? 1 : 0).Take(PerDomain))
            {
                chart.Row(domain.Key, cells.Text(row, "library"), cells.Count(row, "users"));
            }
        }
        return chart.Render(Name, table.Title);
    }
}
