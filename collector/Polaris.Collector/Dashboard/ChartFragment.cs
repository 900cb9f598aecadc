using System.Text;
using Polaris.Collector.Reports;
using static Polaris.Collector.Dashboard.Markup;

namespace Polaris.Collector.Dashboard;

/// <summary>What <c>/dashboard/chart/NAME</c> answers and the page holds in each chart's section: a <c>figure</c> with
/// the report's title, its chart as SVG, and its notes.</summary>
public static class ChartFragment
{
    /// <summary>The fragment of <paramref name="chart"/> for <paramref name="query"/>, from <paramref name="data"/>:
    /// the report runs here, as for the API.</summary>
    public static string Render(IDashboardChart chart, ReportData data, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        var table = ReportRequest.Run(chart.Report, data, query);
        var html = new StringBuilder(8192)
            .Append($"<figure class=\"chart\" data-chart=\"{Escape(chart.Name)}\" data-rows=\"{table.Rows.Count}\">")
            .Append($"<figcaption>{Escape(table.Title)}</figcaption>")
            .Append(chart.Svg(table, query));
        if (table.Notes.Count > 0)
        {
            html.Append("<ul class=\"notes\">");
            foreach (var note in table.Notes)
            {
                html.Append($"<li>{Escape(note)}</li>");
            }
            html.Append("</ul>");
        }
        return html.Append("</figure>").ToString();
    }
}
