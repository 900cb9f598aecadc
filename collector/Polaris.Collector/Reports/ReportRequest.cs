using Polaris.Collector.Access;
using Polaris.Collector.Storage;

namespace Polaris.Collector.Reports;

/// <summary>How every request for a report is answered, the API's and the dashboard's alike: the query read at the
/// asker's level (a read token spans at most <see cref="ReportQuery.MaxReadDays"/> days and sees only rows of
/// <c>reportMinimumUsers</c> users), a <see cref="ReportSlots"/> slot taken, the report computed until the request is
/// abandoned, and a <see cref="ReportQueryException"/> answered 400 with its message. Any other exception is a bug,
/// and is left to the host (a 500 that says nothing of the collector's insides).</summary>
public static class ReportRequest
{
    /// <summary>Answers the request.</summary>
    /// <param name="context">The request.</param>
    /// <param name="parse">Reads the request's query, spanning at most the days given.</param>
    /// <param name="compute">The answer's content type and bytes for the query.</param>
    public static async Task AnswerAsync(HttpContext context, Func<HttpContext, int, ReportQuery> parse,
        Func<ReportData, ReportQuery, (string ContentType, byte[] Body)> compute)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(compute);
        var services = context.RequestServices;
        bool admin = services.GetRequiredService<ReadGuard>().Check(context, ReadLevel.UserData) == StatusCodes.Status200OK;
        (string ContentType, byte[] Body) answer;
        try
        {
            var query = parse(context, admin ? ReportQuery.MaxDays : ReportQuery.MaxReadDays) with
            {
                MinimumUsers = admin ? 1 : services.GetRequiredService<CollectorOptions>().ReportMinimumUsers,
            };
            var slots = services.GetRequiredService<ReportSlots>();
            if (!await slots.EnterAsync(context.RequestAborted).ConfigureAwait(false))
            {
                await slots.RefuseAsync(context).ConfigureAwait(false);
                return;
            }
            try
            {
                answer = compute(ReportData.Serving(services.GetRequiredService<CollectorStore>(), services, context.RequestAborted), query);
            }
            finally
            {
                slots.Exit();
            }
        }
        catch (ReportQueryException e)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            answer = ("text/plain; charset=utf-8", System.Text.Encoding.UTF8.GetBytes(e.Message + "\n"));
        }
        context.Response.ContentType = answer.ContentType;
        context.Response.ContentLength = answer.Body.Length;
        await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="report"/> and leaves out the rows its query's asker may not see
    /// (<see cref="ReportTable.Withhold"/>): how the API, the dashboard and the command line all run a report.</summary>
    public static ReportTable Run(IReport report, ReportData data, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(query);
        var table = report.Run(data, query);
        table.Withhold(query.MinimumUsers);
        return table;
    }
}
