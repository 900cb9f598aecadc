using System.Globalization;
using LiteDB;
using Microsoft.AspNetCore.Http.Features;
using Polaris.Collector.Access;
using Polaris.Collector.Scheduler;
using Polaris.Collector.Storage;

namespace Polaris.Collector.Ingest;

/// <summary><c>POST /v1/pbs</c>: imports the PBS accounting log in the body into the running collector's store, as
/// <c>import-pbs</c> does on a store no collector holds; answers the <see cref="PbsImportReport"/> as JSON.</summary>
/// <remarks>
/// Accounting logs name users and jobs, so the endpoint takes an admin token (<see cref="ReadLevel.Imports"/>; with
/// no admin token file it is refused, loopback included, as <c>POST /v1/imports</c> is). The body is streamed through
/// the reader, never held: memory is the reader's line bound and one transaction's records, whatever the log's size
/// up to <see cref="MaxBodyBytes"/> (a day's log of a large site is tens of megabytes). One import runs at a time; another meanwhile is answered 503 with
/// Retry-After. A log cut short (a client gone, a body past the bound) leaves what was read before stored, which is
/// safe: importing it again changes nothing more.
/// </remarks>
public static class PbsEndpoint
{
    /// <summary>The largest body taken, in bytes.</summary>
    public const long MaxBodyBytes = 1L << 30;

    private const int RetryAfterSeconds = 30;

    /// <summary>Maps <c>POST /v1/pbs</c>, guarded at <see cref="ReadLevel.Imports"/>.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        // Lives as long as the app: one import at a time, since each holds a thread (below).
        var gate = new SemaphoreSlim(1, 1);
        app.MapPost("/v1/pbs", (HttpContext context, CollectorStore store, CollectorOptions options, ILogger<CollectorStore> logger) =>
                HandleAsync(context, store, options, gate, logger))
            .WithMetadata(new ReadLevelMetadata(ReadLevel.Imports));
    }

    private static async Task<IResult> HandleAsync(HttpContext context, CollectorStore store, CollectorOptions options, SemaphoreSlim gate, ILogger logger)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }
        if (!await gate.WaitAsync(0, context.RequestAborted).ConfigureAwait(false))
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Results.Problem("another accounting log is being imported", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        try
        {
            // The reader reads synchronously. Allowing it here costs one blocked thread for the import's length,
            // and the gate allows one import at a time.
            if (context.Features.Get<IHttpBodyControlFeature>() is { } body)
            {
                body.AllowSynchronousIO = true;
            }
            var zone = options.PbsServerTimeZone();
            var report = await Task.Run(() => PbsImport.Run(store, context.Request.Body, zone, DateTime.UtcNow), context.RequestAborted)
                .ConfigureAwait(false);
            LogMessages.PbsImported(logger, report.Lines, report.EndRecords + report.StartRecords, report.JobsUpdated, report.JobsNotSeen, report.MalformedLines);
            return Results.Ok(report);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException)
        {
            return Results.Problem($"the log could not be read to its end ({e.Message}); what was read before is stored", statusCode: StatusCodes.Status400BadRequest);
        }
        catch (LiteException e)
        {
            LogMessages.PbsStoreFailed(logger, e.Message);
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Results.Problem("the store cannot take the log now: " + e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        finally
        {
            gate.Release();
        }
    }

    private static IResult TooLarge() =>
        Results.Problem($"an accounting log of more than {MaxBodyBytes} bytes; what was read before is stored: post the rest apart",
            statusCode: StatusCodes.Status413PayloadTooLarge);
}
