using System.Text;
using Polaris.Collector.Access;

namespace Polaris.Collector.Reports;

/// <summary><c>GET /api/v1/reports</c> lists the reports; <c>GET /api/v1/reports/NAME?since=&amp;until=&amp;domain=&amp;source=&amp;library=</c>
/// answers one as JSON (<see cref="ReportWriter.Json"/>), guarded at the report's own level.</summary>
/// <remarks>A wrong query is answered 400 with the reason before anything is read; the limits a read token's query
/// meets, and how many reports are computed at once, are <see cref="ReportRequest"/>'s. Reports read the roll-ups as
/// of the last fold (at most <c>foldMilliseconds</c> old), without the store's write lock.</remarks>
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
            app.MapGet($"{Prefix}/{report.Name}", (HttpContext context) => ReportRequest.AnswerAsync(context, Parse,
                    (data, query) => ("application/json; charset=utf-8", ReportWriter.Json(ReportRequest.Run(report, data, query)))))
                .WithMetadata(new ReadLevelMetadata(report.Level));
        }
    }

    private static async Task WriteListAsync(HttpContext context)
    {
        var table = new ReportTable("Reports", ["name", "description", "token"]);
        foreach (var report in ReportCatalog.All)
        {
            table.Add(report.Name, report.Description, report.Level == ReadLevel.UserData ? "admin" : "read");
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(ReportWriter.Json(table), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The provisioning report's candidates as a conda <c>environment.yml</c> fragment.</summary>
    private static Task WriteEnvironmentYamlAsync(HttpContext context) =>
        ReportRequest.AnswerAsync(context, Parse, (data, query) =>
        {
            using var writer = new StringWriter();
            ProvisioningYaml.Write(writer, ProvisioningReport.Candidates(data, query), query);
            return ("text/plain; charset=utf-8", Encoding.UTF8.GetBytes(writer.ToString()));
        });

    /// <summary>The request's query as a report's, spanning at most <paramref name="maxDays"/>.</summary>
    /// <exception cref="ReportQueryException">The query is wrong.</exception>
    internal static ReportQuery Parse(HttpContext context, int maxDays) =>
        ReportQuery.Parse(context.Request.Query.Select(q => new KeyValuePair<string, IReadOnlyList<string>>(q.Key, q.Value.Select(v => v ?? "").ToArray())),
            DateOnly.FromDateTime(DateTime.UtcNow), maxDays);
}
