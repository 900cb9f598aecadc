using Polaris.Collector.Access;
using Polaris.Collector.Storage;

namespace Polaris.Collector.Reports;

/// <summary><c>GET /api/v1/reports</c> lists the reports; <c>GET /api/v1/reports/NAME?since=&amp;until=&amp;domain=&amp;source=&amp;library=</c>
/// answers one as JSON (<see cref="ReportWriter.Json"/>), guarded at the report's own level.</summary>
/// <remarks>A wrong query is answered 400 with the reason before anything is read. Reports read the roll-ups as of the
/// last fold (at most <c>foldMilliseconds</c> old), without the store's write lock.</remarks>
public static class ReportEndpoint
{
    /// <summary>Where the reports are.</summary>
    public const string Prefix = "/api/v1/reports";

    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Prefix, WriteListAsync).WithMetadata(new ReadLevelMetadata(ReadLevel.Aggregates));
        app.MapGet($"{Prefix}/provisioning/environment.yml", WriteEnvironmentYamlAsync).WithMetadata(new ReadLevelMetadata(ReadLevel.Aggregates));
        foreach (var report in ReportCatalog.All)
        {
            app.MapGet($"{Prefix}/{report.Name}", (HttpContext context, CollectorStore store) => WriteAsync(context, store, report))
                .WithMetadata(new ReadLevelMetadata(report.Level));
        }
    }

    private static Task WriteListAsync(HttpContext context)
    {
        var table = new ReportTable("Reports", ["name", "description", "token"]);
        foreach (var report in ReportCatalog.All)
        {
            table.Add(report.Name, report.Description, report.Level == ReadLevel.UserData ? "admin" : "read");
        }
        return WriteJsonAsync(context, table);
    }

    private static async Task WriteAsync(HttpContext context, CollectorStore store, IReport report)
    {
        ReportTable table;
        try
        {
            table = report.Run(ReportData.Serving(store, context.RequestServices), Parse(context));
        }
        catch (ArgumentException e)
        {
            // A query the report cannot answer (submodules without a library) is the query's fault, as a wrong date is.
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(e.Message + "\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        await WriteJsonAsync(context, table).ConfigureAwait(false);
    }

    /// <summary>The provisioning report's candidates as a conda <c>environment.yml</c> fragment.</summary>
    private static async Task WriteEnvironmentYamlAsync(HttpContext context, CollectorStore store)
    {
        string text;
        try
        {
            var query = Parse(context);
            using var writer = new StringWriter();
            ProvisioningReport.EnvironmentYaml(writer, ProvisioningReport.Candidates(ReportData.Serving(store, context.RequestServices), query), query);
            text = writer.ToString();
        }
        catch (ArgumentException e)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            text = e.Message + "\n";
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The request's query as a report's.</summary>
    /// <exception cref="ArgumentException">The query is wrong.</exception>
    internal static ReportQuery Parse(HttpContext context) =>
        ReportQuery.Parse(context.Request.Query.Select(q => new KeyValuePair<string, IReadOnlyList<string>>(q.Key, q.Value.Select(v => v ?? "").ToArray())),
            DateOnly.FromDateTime(DateTime.UtcNow));

    private static async Task WriteJsonAsync(HttpContext context, ReportTable table)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(ReportWriter.Json(table), context.RequestAborted).ConfigureAwait(false);
    }
}
