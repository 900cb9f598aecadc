using Polaris.Collector.Access;
using Polaris.Collector.Reports;

namespace Polaris.Collector.Dashboard;

/// <summary>The dashboard: <c>GET /</c> the page, <c>GET /dashboard/chart/NAME?since=&amp;until=&amp;domain=&amp;source=</c>
/// one chart's fragment (what the page's script fetches), and the page's script and stylesheet; all at the read
/// level, as <c>/metrics</c> (docs/collector.md, "Dashboard").</summary>
/// <remarks>Every answer forbids any source but the collector itself (<see cref="ContentSecurityPolicy"/>): a name
/// from the data that escaped its escaping still could not load or send anything.</remarks>
public static class DashboardEndpoint
{
    /// <summary>Where the fragments and assets are.</summary>
    public const string Prefix = "/dashboard";

    /// <summary>How often the page fetches its charts again.</summary>
    public const int RefreshSeconds = 30;

    /// <summary>Nothing from another host, no inline script or style, no framing, forms sent to the collector only.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var guarded = new ReadLevelMetadata(ReadLevel.Aggregates);
        app.MapGet("/", WritePageAsync).WithMetadata(guarded);
        app.MapGet($"{Prefix}/chart/{{name}}", WriteChartAsync).WithMetadata(guarded);
        app.MapGet($"{Prefix}/dashboard.js", (HttpContext context) => WriteAsync(context, "text/javascript; charset=utf-8", DashboardAssets.Script))
            .WithMetadata(guarded);
        app.MapGet($"{Prefix}/dashboard.css", (HttpContext context) => WriteAsync(context, "text/css; charset=utf-8", DashboardAssets.Stylesheet))
            .WithMetadata(guarded);
    }

    // A wrong query is the reports' 400, with the same reason, before anything is read; the page and its charts are
    // computed as reports are (ReportRequest: a read token's limits, the report slots).
    private static Task WritePageAsync(HttpContext context)
    {
        Secure(context.Response);
        return ReportRequest.AnswerAsync(context, Parse, (data, query) =>
        {
            // The domains of the days asked for, over every domain: all Python's roll-ups alone hold them. A domain of
            // fewer users than the asker's floor is not offered: its name with its charts' notes would say how few.
            var domains = data.Libraries(query with { Domain = null }, []).GetValueOrDefault(ReportData.AllPython)?.Domains
                .Where(d => d.Value.Users.Count >= query.MinimumUsers).Select(d => d.Key).ToArray() ?? [];
            var page = DashboardPage.Render(query, domains, chart => ChartFragment.Render(chart, data, query), DateTime.UtcNow, RefreshSeconds);
            return ("text/html; charset=utf-8", System.Text.Encoding.UTF8.GetBytes(page));
        });
    }

    private static Task WriteChartAsync(HttpContext context, string name)
    {
        if (DashboardCharts.Find(name) is not { } chart)
        {
            return TextAsync(context, StatusCodes.Status404NotFound, $"no such chart; charts: {string.Join(", ", DashboardCharts.All.Select(c => c.Name))}");
        }
        Secure(context.Response);
        return ReportRequest.AnswerAsync(context, Parse,
            (data, query) => ("text/html; charset=utf-8", System.Text.Encoding.UTF8.GetBytes(ChartFragment.Render(chart, data, query))));
    }

    private static ReportQuery Parse(HttpContext context, int maxDays) =>
        DashboardQuery.Parse(context.Request.Query, DateOnly.FromDateTime(DateTime.UtcNow), maxDays);

    private static Task TextAsync(HttpContext context, int status, string text)
    {
        Secure(context.Response);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text + "\n", context.RequestAborted);
    }

    private static async Task WriteAsync(HttpContext context, string contentType, byte[] body)
    {
        Secure(context.Response);
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    // The figures change with every fold: nothing is kept by a browser or a proxy between.
    private static void Secure(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";
    }
}
