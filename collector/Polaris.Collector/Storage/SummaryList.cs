namespace Polaris.Collector.Storage;

/// <summary><c>GET /v1/summaries?limit=N</c>: the most recently started summaries (N from 1 to 10,000, default 100),
/// newest first, as one JSON array written a summary at a time.</summary>
/// <remarks>Joined into one text first, 90 summaries of 6 MB took the collector 3 GB more memory; written as they are
/// read, the answer holds one summary at a time however many are asked for.</remarks>
public static class SummaryList
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 10_000;

    /// <summary>Writes the summaries to the response.</summary>
    public static async Task WriteAsync(HttpContext context, CollectorStore store, int? limit)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(store);
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = context.Response.Body;
        var cancellation = context.RequestAborted;
        await body.WriteAsync("["u8.ToArray(), cancellation).ConfigureAwait(false);
        bool first = true;
        foreach (var json in store.RecentSummaries(Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit)))
        {
            if (!first)
            {
                await body.WriteAsync(","u8.ToArray(), cancellation).ConfigureAwait(false);
            }
            first = false;
            await body.WriteAsync(json, cancellation).ConfigureAwait(false);
        }
        await body.WriteAsync("]"u8.ToArray(), cancellation).ConfigureAwait(false);
    }
}
