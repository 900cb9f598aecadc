using System.Globalization;
using System.Text;
using Polaris.Collector.Reports;
using Polaris.Wire;
using static Polaris.Collector.Dashboard.Markup;

namespace Polaris.Collector.Dashboard;

/// <summary>The dashboard's page: the filters' form, a section per chart with its fragment rendered in (so the page
/// shows its figures without the script), and the placeholder of what no report gives yet.</summary>
public static class DashboardPage
{
    /// <summary>The page for <paramref name="query"/>.</summary>
    /// <param name="query">The filters, as asked.</param>
    /// <param name="domains">The domains the form offers: those seen in the query's days.</param>
    /// <param name="fragment">Each chart's fragment (<see cref="ChartFragment.Render"/>).</param>
    /// <param name="now">When the figures were read, UTC.</param>
    /// <param name="refreshSeconds">How often the script fetches the charts again.</param>
    public static string Render(ReportQuery query, IEnumerable<string> domains, Func<IDashboardChart, string> fragment, DateTime now, int refreshSeconds)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(domains);
        ArgumentNullException.ThrowIfNull(fragment);
        var html = new StringBuilder(65536);
        // Relative URLs throughout, so that a reverse proxy may serve the collector under a path of its own.
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Polaris: Python use</title>")
            .Append("<link rel=\"stylesheet\" href=\"dashboard/dashboard.css\">")
            .Append("<script src=\"dashboard/dashboard.js\" defer></script></head>\n")
            .Append($"<body data-refresh-seconds=\"{refreshSeconds}\"><header><h1>Python use</h1>")
            .Append($"<p id=\"status\" data-refreshes=\"0\">Figures as of {now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC; refreshed every {refreshSeconds} s</p></header>\n");
        Form(html, query, domains);
        html.Append("<main>\n");
        foreach (var chart in DashboardCharts.All)
        {
            html.Append($"<section id=\"chart-{Escape(chart.Name)}\" data-chart=\"{Escape(chart.Name)}\"><h2>{Escape(chart.Heading)}")
                .Append($" <a class=\"json\" href=\"api/v1/reports/{Escape(chart.Name)}?{Escape(DashboardQuery.Text(query))}\">JSON</a></h2>")
                .Append("<div class=\"chart-body\">").Append(fragment(chart)).Append("</div></section>\n");
        }
        // The home-loading jobs name jobs: the home-jobs report takes the admin token, which the dashboard's read level
        // does not give, so the section says where they are rather than show them to every reader.
        html.Append("<section id=\"home-jobs\" class=\"placeholder\" data-awaits=\"home-jobs\"><h2>Jobs loading from home directories</h2>")
            .Append("<p>These name jobs, so they take the admin token: <code>polaris-collector report home-jobs</code> or ")
            .Append("<code>GET api/v1/reports/home-jobs</code>. The running ones are also in <code>/metrics</code> ")
            .Append("(<code>polaris_home_loading_job_processes</code>) and the <code>PolarisHomeDirectoryImports</code> alert.</p></section>\n");
        return html.Append("</main></body></html>\n").ToString();
    }

    private static void Form(StringBuilder html, ReportQuery query, IEnumerable<string> domains)
    {
        html.Append("<form id=\"filters\" method=\"get\" action=\"\">")
            .Append($"<label>Since <input type=\"date\" name=\"since\" value=\"{ReportQuery.Text(query.Since)}\"></label>")
            .Append($"<label>Until <input type=\"date\" name=\"until\" value=\"{ReportQuery.Text(query.Until)}\"></label>")
            .Append("<label>Domain <select name=\"domain\"><option value=\"\">all domains</option>");
        // The domain asked for stays offered when the days hold none of it, so the form says what is shown.
        var offered = domains.Append(query.Domain).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var domain in offered)
        {
            string selected = domain == query.Domain ? " selected" : "";
            html.Append($"<option value=\"{Escape(domain)}\"{selected}>{Escape(domain)}</option>");
        }
        html.Append("</select></label><fieldset><legend>Sources (none checked: all)</legend>");
        foreach (var source in Enum.GetValues<RecordSource>())
        {
            string chosen = query.Sources.Contains(source) ? " checked" : "";
            html.Append($"<label><input type=\"checkbox\" name=\"source\" value=\"{source.Name()}\"{chosen}> {source.Name()}</label>");
        }
        html.Append("</fieldset>");
        foreach (var library in query.Libraries)
        {
            // Libraries asked for in the URL stay asked for when the form is sent.
            html.Append($"<input type=\"hidden\" name=\"library\" value=\"{Escape(library)}\">");
        }
        html.Append("<button type=\"submit\">Show</button></form>\n");
    }
}
