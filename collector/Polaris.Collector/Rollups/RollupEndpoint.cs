using System.Text.Json;
using Polaris.Collector.Access;
using Polaris.Collector.Storage;

namespace Polaris.Collector.Rollups;

/// <summary><c>GET /v1/rollups?since=yyyy-MM-dd&amp;until=yyyy-MM-dd[&amp;library=NAME]...</c>: the daily roll-ups of
/// those days as one JSON array of <see cref="RollupRecord"/>, written one day-library at a time.</summary>
/// <remarks>
/// It names uids and job ids, so it takes an admin token (<see cref="ReadLevel.UserData"/>). Its memory is one
/// roll-up and one day's ids whatever the range; the range is at most <see cref="RollupRange.MaxDays"/> days, so
/// one request's time is bounded too. A wrong query is answered 400 with the reason, before anything is read.
/// </remarks>
public static class RollupEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/rollups", WriteAsync).WithMetadata(new ReadLevelMetadata(ReadLevel.UserData));

    /// <summary>Answers one request.</summary>
    public static async Task WriteAsync(HttpContext context, CollectorStore store)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(store);
        var response = context.Response;
        if (!RollupRange.TryParse(context.Request.Query, DateOnly.FromDateTime(DateTime.UtcNow), out var range, out var reason))
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(reason + "\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        response.ContentType = "application/json; charset=utf-8";
        var body = response.Body;
        var cancellation = context.RequestAborted;
        await body.WriteAsync("["u8.ToArray(), cancellation).ConfigureAwait(false);
        bool first = true;
        foreach (var rollup in store.Rollups(range.Since, range.Until, range.Libraries))
        {
            if (!first)
            {
                await body.WriteAsync(","u8.ToArray(), cancellation).ConfigureAwait(false);
            }
            first = false;
            await JsonSerializer.SerializeAsync(body, RollupRecord.From(rollup), RollupJsonContext.Default.RollupRecord, cancellation).ConfigureAwait(false);
        }
        await body.WriteAsync("]"u8.ToArray(), cancellation).ConfigureAwait(false);
    }
}
