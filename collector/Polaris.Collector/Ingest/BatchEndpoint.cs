using LiteDB;
using Microsoft.AspNetCore.Http.Features;
using Polaris.Collector.Metrics;
using Polaris.Collector.Storage;
using Polaris.Wire;

namespace Polaris.Collector.Ingest;

/// <summary>The ingest stage: <c>POST /v1/batches</c> takes one zstd-compressed MessagePack batch of an agent's; <c>POST
/// /v1/imports</c> one of summaries an importer made from another tool's records (<c>src</c>), with the admin token.</summary>
/// <remarks>
/// 200 with the summary and process counts acknowledges the batch, also for a duplicate (the agent may forget
/// it either way), and lists the summaries refused one by one (out of bounds, malformed inside, too large to
/// store: the others are stored); 400 says the bytes are no batch at all and can never be stored; 413 that they
/// are too large; 401 that the bearer token is missing or wrong (the agent keeps the batch); 503 with Retry-After
/// that the collector's memory budget or its store cannot take the batch now (the agent retries). Nothing in the
/// data is ever answered 5xx.
/// </remarks>
public static class BatchEndpoint
{
    private const int RetryAfterSeconds = 5;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/batches", HandleAsync);
        // Imported records name users and jobs, and an agent's token must not pass its records off as another tool's.
        app.MapPost("/v1/imports", (HttpContext context, CollectorStore store, GroupCommit commit, CollectorMetrics metrics, CollectorOptions options,
                IngestBudget budget, StringPool strings, ILogger<CollectorStore> logger) =>
                ReceiveAsync(context, store, commit, metrics, options, budget, strings, logger, imported: true))
            .WithMetadata(new Access.ReadLevelMetadata(Access.ReadLevel.Imports));
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context, CollectorStore store, GroupCommit commit, CollectorMetrics metrics, CollectorOptions options, AgentTokens tokens,
        IngestBudget budget, StringPool strings, ILogger<CollectorStore> logger)
    {
        switch (tokens.Check(context))
        {
            case StatusCodes.Status401Unauthorized:
                metrics.Unauthorized();
                return Results.Problem("a valid bearer token is required", statusCode: StatusCodes.Status401Unauthorized);
            case StatusCodes.Status403Forbidden:
                metrics.Unauthorized();
                return Results.Problem("batches are taken on loopback only until a token file (TokenFile) is configured",
                    statusCode: StatusCodes.Status403Forbidden);
        }
        return await ReceiveAsync(context, store, commit, metrics, options, budget, strings, logger, imported: false).ConfigureAwait(false);
    }

    private static async Task<IResult> ReceiveAsync(
        HttpContext context, CollectorStore store, GroupCommit commit, CollectorMetrics metrics, CollectorOptions options,
        IngestBudget budget, StringPool strings, ILogger<CollectorStore> logger, bool imported)
    {
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limit is { IsReadOnly: false })
        {
            limit.MaxRequestBodySize = options.MaxBatchBytes;
        }
        using var lease = budget.Lease();
        ReceivedBatch received;
        long bytes;
        byte[]? rented = null;
        try
        {
            var body = await ReadBodyAsync(context.Request, options.MaxBatchBytes, lease, buffer => rented = buffer, context.RequestAborted).ConfigureAwait(false);
            // The lease is charged for the body, the decompression segments and what the decoded objects hold.
            bytes = body.Length;
            received = BatchCodec.Receive(body, new WireLimits { MaxCompressedBytes = options.MaxBatchBytes, MaxDecompressedBytes = options.MaxDecompressedBytes }, lease.Take, strings);
            BatchKey.Validate(received.Batch.Key);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            metrics.Rejected();
            return Results.Problem($"batch larger than {options.MaxBatchBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        catch (IngestBudgetExceededException e)
        {
            metrics.Busy();
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (WireFormatException e)
        {
            return Refuse(metrics, logger, e.Message);
        }
        catch (IngestRequestTooLargeException e)
        {
            return Refuse(metrics, logger, e.Message);
        }
        catch (OutOfMemoryException)
        {
            // The budget should keep this from happening; if the machine has less memory than it, answer busy and
            // keep serving rather than let the request end the process's other work.
            metrics.Busy();
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem("the collector is out of memory for batches now", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception e) when (e is not (OperationCanceledException or IOException))
        {
            // Belt and braces: whatever else the decoder meets in the bytes is still the bytes' fault, never a 500.
            return Refuse(metrics, logger, $"batch could not be decoded ({e.GetType().Name}): {e.Message}");
        }
        finally
        {
            // Nothing decoded refers to the body: its strings are copies.
            if (rented != null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
        if (!imported && received.Batch.Node.StartsWith(Import.ImportedSummaries.NodePrefix, StringComparison.Ordinal))
        {
            // The importers' node names: no agent's batch passes for an import's (the store keeps them apart besides).
            var reason = $"node names starting with {Import.ImportedSummaries.NodePrefix} are the importers'; an agent's batch cannot come from one";
            metrics.ReservedNode();
            LogMessages.BatchRejected(logger, reason);
            return Results.Problem(reason, statusCode: StatusCodes.Status400BadRequest);
        }
        IngestResult result;
        try
        {
            result = await commit.IngestAsync(store.Prepare(received.Batch, DateTime.UtcNow, bytes, received, imported)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LiteException or IOException or UnauthorizedAccessException)
        {
            // Every summary was checked against the bounds the store needs: what fails now is the store (a full disk).
            metrics.StoreFailed();
            LogMessages.StoreFailed(logger, received.Batch.Key, e.Message);
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem("the store cannot take the batch now: " + e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        var refused = result.Refused;
        if (refused.Count > 0 && !result.Duplicate)
        {
            LogMessages.SummariesRefused(logger, received.Batch.Key, refused.Count, refused[0].Index, refused[0].Reason);
        }
        return Results.Ok(new BatchReceipt(received.Batch.Key, result.Summaries, result.Processes, result.Duplicate,
            refused.Select(r => new RefusedSummary(r.Index, r.Reason)).ToArray()));
    }

    private static IResult Refuse(CollectorMetrics metrics, ILogger logger, string reason)
    {
        metrics.Rejected();
        LogMessages.BatchRejected(logger, reason);
        return Results.Problem(reason, statusCode: StatusCodes.Status400BadRequest);
    }

    /// <summary>Reads the body into a buffer that grows with what arrives, each growth taken from the lease first.</summary>
    /// <remarks>The buffers come from the shared pool (a burst's ten thousand posts made 48 KiB of garbage each);
    /// <paramref name="holding"/> is told the one in use, for the caller to give back once the body is decoded.</remarks>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, int maxBytes, IngestLease lease, Action<byte[]> holding,
        CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge);
        }
        // Content-Length is a claim: the buffer starts at 16 KiB at most and doubles with what arrives, so a post holds
        // of the budget at most about twice what it sent. A first buffer of 1 MiB let 256 posts that trickled a
        // kilobyte a second (enough for Kestrel's minimum data rate) hold the whole 256 MiB, and every other post
        // was answered 503 for as long as they went on.
        const int firstBuffer = 16 * 1024;
        int capacity = request.ContentLength is > 0 and var n ? (int)Math.Min(n + 1, firstBuffer) : firstBuffer;
        lease.Take(capacity);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(capacity);
        holding(buffer);
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > maxBytes)
                {
                    throw new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge);
                }
                int grown = (int)Math.Min(2L * buffer.Length, maxBytes + 1L);
                lease.Take(grown);
                var larger = System.Buffers.ArrayPool<byte>.Shared.Rent(grown);
                buffer.AsSpan(0, length).CopyTo(larger);
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
                holding(buffer);
            }
            int read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            length += read;
        }
        if (length > maxBytes)
        {
            throw new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge);
        }
        return buffer.AsMemory(0, length);
    }
}
