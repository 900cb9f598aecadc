namespace Polaris.Collector.Reports;

/// <summary>How many reports the collector computes at once (the API's and the dashboard's alike): a report over many
/// days holds a core for seconds, and the collector's first job is taking the agents' batches in.</summary>
/// <remarks>A request that finds every slot taken waits <see cref="Wait"/>, then is answered 429 with
/// <c>Retry-After</c>: the load is the asker's, not a fault of the collector, so it is never a 5xx.</remarks>
public sealed class ReportSlots(int slots = ReportSlots.Concurrent) : IDisposable
{
    /// <summary>Reports computed at once: one per core of a small collector's machine.</summary>
    public const int Concurrent = 2;

    /// <summary>Seconds a client is told to wait before asking again.</summary>
    public const int RetryAfterSeconds = 10;

    /// <summary>How long a request waits for a slot before it is refused.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _free = new(slots, slots);

    /// <summary>Takes a slot, waiting at most <see cref="Wait"/>: true when one came free (give it back with
    /// <see cref="Exit"/>), false when none did.</summary>
    /// <exception cref="OperationCanceledException">The request was abandoned while it waited.</exception>
    public Task<bool> EnterAsync(CancellationToken aborted) => _free.WaitAsync(Wait, aborted);

    /// <summary>Gives back the slot <see cref="EnterAsync"/> gave.</summary>
    public void Exit() => _free.Release();

    /// <summary>Answers a request that found no slot: 429 with <c>Retry-After</c>, and why.</summary>
    public Task RefuseAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync($"{slots} reports are being computed; ask again in {RetryAfterSeconds} s\n", context.RequestAborted);
    }

    public void Dispose() => _free.Dispose();
}
