using Microsoft.AspNetCore.Http.Features;
using Polaris.Collector.Metrics;
using Polaris.Collector.Storage;
using Polaris.Wire;

namespace Polaris.Collector.Ingest;

/// <summary>The ingest stage: <c>POST /v1/batches</c> takes one zstd-compressed MessagePack batch.</summary>
/// <remarks>
/// 200 with the summary and process counts acknowledges the batch, also for a duplicate (the agent may forget
/// it either way); 400 says the bytes can never be stored; 413 that they are too large; 401 that the bearer token
/// is missing or wrong (the agent keeps the batch).
/// </remarks>
public static class BatchEndpoint
{
    public static void Map(IEndpointRouteBuilder app) => app.MapPost("/v1/batches", HandleAsync);

    private static async Task<IResult> HandleAsync(
        HttpContext context, CollectorStore store, CollectorMetrics metrics, CollectorOptions options, AgentTokens tokens, ILogger<CollectorStore> logger)
    {
        if (!tokens.Admit(context.Request))
        {
            metrics.Unauthorized();
            return Results.Problem("a valid bearer token is required", statusCode: StatusCodes.Status401Unauthorized);
        }
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limit is { IsReadOnly: false })
        {
            limit.MaxRequestBodySize = options.MaxBatchBytes;
        }
        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request, options.MaxBatchBytes, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            metrics.Rejected();
            return Results.Problem($"batch larger than {options.MaxBatchBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        Batch batch;
        try
        {
            batch = BatchCodec.Decode(body, WireLimits.Default with { MaxCompressedBytes = options.MaxBatchBytes });
            BatchKey.Validate(batch.Key);
        }
        catch (WireFormatException e)
        {
            metrics.Rejected();
            LogMessages.BatchRejected(logger, e.Message);
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        var result = store.Ingest(batch, DateTime.UtcNow);
        metrics.Ingested(result);
        return Results.Ok(new BatchReceipt(batch.Key, batch.Summaries.Count, batch.Processes, result.Duplicate));
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge);
        }
        using var buffer = new MemoryStream(request.ContentLength is > 0 and var n ? (int)n : 64 * 1024);
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (buffer.Length > maxBytes)
        {
            throw new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge);
        }
        return buffer.ToArray();
    }
}
