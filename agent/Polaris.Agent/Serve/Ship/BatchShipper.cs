using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polaris.Agent.Serve.Spool;
using Polaris.Wire;

namespace Polaris.Agent.Serve.Ship;

/// <summary>The ship stage: sends spooled batches to the collector, oldest first, and removes each once acknowledged.</summary>
/// <remarks>
/// A failed delivery hands over to the next collector URL at once; only when every URL has failed in a row does the
/// stage back off (exponentially, with jitter), keeping the order: that is a collector down. A batch that has failed
/// <see cref="SetAsideAfter"/> times in a row is suspect: the next batch is sent to the same URL, and if that one is
/// taken, the suspect is the batch's own fault (the collector fails on it, or times out on it) and it is set aside
/// under <c>deferred/</c>, retried on its own slower schedule (<see cref="DeferredRetry"/>) and finally moved to
/// <c>rejected/</c>, each step counted. So one batch never holds back the batches of every user behind it.
///
/// A busy answer (503, 429: the collector's memory or store cannot take a batch now) says nothing about the batch:
/// it is not counted against it, the order is kept, and that URL is not tried again before the <c>Retry-After</c> it
/// gave (at most <see cref="LongestRetryAfter"/>). A 2xx answer's receipt is read (its first
/// <see cref="DeliveryReceipt.MaxBytes"/>): summaries the collector refused one by one are counted and logged.
/// </remarks>
public sealed class BatchShipper(
    CollectorClient collector,
    BatchSpool spool,
    SpoolSignal signal,
    AgentCounters counters,
    ILogger<BatchShipper> logger) : BackgroundService
{
    /// <summary>Failures in a row of one batch after which it is suspect, and the batch behind it is tried.</summary>
    public const int SetAsideAfter = 3;

    /// <summary>The longest <c>Retry-After</c> obeyed: a collector cannot stop a node's deliveries for longer.</summary>
    public static readonly TimeSpan LongestRetryAfter = TimeSpan.FromMinutes(5);

    /// <summary>The longest wait for a receipt's bytes once its headers came.</summary>
    private static readonly TimeSpan ReceiptTimeout = TimeSpan.FromSeconds(10);

    private readonly Backoff _backoff = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(2));
    private readonly DeferredRetry _deferred = new();
    // Failures in a row per batch: only the head of the queue and the one tried behind it ever fail in a pass, and
    // an entry goes with its batch, so this holds a few entries.
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private int _failuresInRow;
    // Whether the last attempt that got past a suspect was taken: only then is a deferred batch's failure its own.
    private bool _accepting;
    // When each collector URL that answered busy may be tried again (a few entries: one per configured URL at most).
    private readonly Dictionary<Uri, DateTimeOffset> _busyUntil = [];

    private enum Pass
    {
        /// <summary>Everything pending was sent (or set aside).</summary>
        Done,

        /// <summary>No collector took a batch: back off, keep the order.</summary>
        Failed,

        /// <summary>Only a suspect batch is left, with none behind it to tell a bad batch from a bad collector.</summary>
        Suspect,
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await WaitUntilNotBusyAsync(stoppingToken).ConfigureAwait(false);
                IReadOnlyList<SpooledBatch> pending;
                try
                {
                    pending = spool.Pending();
                }
                catch (IOException e)
                {
                    LogMessages.SpoolUnreadable(logger, e.Message);
                    await Task.Delay(_backoff.Next(), stoppingToken).ConfigureAwait(false);
                    continue;
                }
                var pass = pending.Count == 0 ? Pass.Done : await ShipAsync(pending, stoppingToken).ConfigureAwait(false);
                if (pass == Pass.Failed)
                {
                    collector.FailOver();
                    if (++_failuresInRow >= collector.Count)
                    {
                        _failuresInRow = 0;
                        await Task.Delay(_backoff.Next(), stoppingToken).ConfigureAwait(false);
                    }
                    continue;
                }
                await RetryDeferredAsync(stoppingToken).ConfigureAwait(false);
                if (pass == Pass.Done && pending.Count > 0)
                {
                    continue; // more may have been spooled meanwhile
                }
                // Nothing to send (or only a suspect, which the next batch will judge): no connection is kept open to
                // be looked after while the daemon sleeps; it wakes for a new batch or a deferred batch's retry.
                collector.Release();
                var wait = pass == Pass.Suspect ? _backoff.Next() : UntilNextRetry();
                await WaitForBatchAsync(wait, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Whatever is still spooled is sent by the next start.
        }
    }

    /// <summary>Sends the queue in order until no collector takes a batch.</summary>
    private async Task<Pass> ShipAsync(IReadOnlyList<SpooledBatch> pending, CancellationToken stoppingToken)
    {
        SpooledBatch? suspect = null;
        foreach (var batch in pending)
        {
            var outcome = await SendAsync(collector.Endpoint, batch, stoppingToken).ConfigureAwait(false);
            if (outcome == DeliveryOutcome.Busy)
            {
                // Nothing about this batch (nor the suspect's): keep the order and wait as told.
                _accepting = false;
                return Pass.Failed;
            }
            if (outcome != DeliveryOutcome.Failed)
            {
                _failures.Remove(batch.Key);
                _failuresInRow = 0;
                _backoff.Reset();
                _accepting = true;
                if (suspect != null)
                {
                    // The URL that failed on the suspect took the batch behind it: the suspect is at fault.
                    SetAside(suspect);
                    suspect = null;
                }
                continue;
            }
            int failures = _failures[batch.Key] = _failures.GetValueOrDefault(batch.Key) + 1;
            if (suspect == null && failures >= SetAsideAfter)
            {
                suspect = batch; // try the next batch on the same URL
                continue;
            }
            _accepting = false;
            return Pass.Failed;
        }
        return suspect != null ? Pass.Suspect : Pass.Done;
    }

    private void SetAside(SpooledBatch batch)
    {
        _failures.Remove(batch.Key);
        try
        {
            spool.Defer(batch);
        }
        catch (IOException e)
        {
            LogMessages.SpoolUnreadable(logger, e.Message);
            return;
        }
        counters.BatchDeferred();
        LogMessages.BatchDeferred(logger, batch.Key, SetAsideAfter);
    }

    /// <summary>Retries the deferred batches that are due; a batch past its attempts goes to <c>rejected/</c>.</summary>
    private async Task RetryDeferredAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<SpooledBatch> deferred;
        try
        {
            deferred = spool.Deferred();
        }
        catch (IOException e)
        {
            LogMessages.SpoolUnreadable(logger, e.Message);
            return;
        }
        _deferred.Retain(deferred.Select(b => b.Key).ToHashSet(StringComparer.Ordinal));
        foreach (var batch in deferred)
        {
            if (!_deferred.IsDue(batch.Key, DateTimeOffset.UtcNow))
            {
                continue;
            }
            bool accepting = _accepting;
            var outcome = await SendAsync(collector.Endpoint, batch, stoppingToken).ConfigureAwait(false);
            if (outcome == DeliveryOutcome.Busy)
            {
                // Not this batch's fault, and the collector asked for quiet: the rest wait for the next round.
                _accepting = false;
                _deferred.Postpone(batch.Key, DateTimeOffset.UtcNow);
                return;
            }
            if (outcome != DeliveryOutcome.Failed)
            {
                _accepting = true;
                continue;
            }
            if (!accepting)
            {
                _deferred.Postpone(batch.Key, DateTimeOffset.UtcNow);
            }
            else if (_deferred.Failed(batch.Key, DateTimeOffset.UtcNow))
            {
                try
                {
                    spool.Reject(batch);
                }
                catch (IOException e)
                {
                    LogMessages.SpoolUnreadable(logger, e.Message);
                    continue;
                }
                counters.DeferredGivenUp();
                LogMessages.DeferredGivenUp(logger, batch.Key, DeferredRetry.Attempts);
            }
        }
    }

    /// <summary>Waits out the <c>Retry-After</c> the current URL gave with its last busy answer, if any; a new
    /// batch does not cut it short.</summary>
    private async Task WaitUntilNotBusyAsync(CancellationToken stoppingToken)
    {
        if (!_busyUntil.Remove(collector.Endpoint, out var until))
        {
            return;
        }
        var wait = until - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>How long a busy answer asks to wait, within <see cref="LongestRetryAfter"/>; zero when it does not say.</summary>
    public static TimeSpan RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        var wait = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => TimeSpan.Zero,
        };
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > LongestRetryAfter ? LongestRetryAfter : wait;
    }

    private TimeSpan UntilNextRetry() =>
        _deferred.NextDue is { } due ? TimeSpan.FromTicks(Math.Max(0, (due - DateTimeOffset.UtcNow).Ticks)) + TimeSpan.FromMilliseconds(10) : Timeout.InfiniteTimeSpan;

    /// <summary>Waits for the aggregator's signal that a batch was spooled, or at most <paramref name="wait"/>.</summary>
    private async Task WaitForBatchAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        if (wait == Timeout.InfiniteTimeSpan)
        {
            await signal.WaitAsync(stoppingToken).ConfigureAwait(false);
            return;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(wait);
        try
        {
            await signal.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // the wait is over
        }
    }

    private async Task<DeliveryOutcome> SendAsync(Uri endpoint, SpooledBatch batch, CancellationToken stoppingToken)
    {
        byte[] body;
        try
        {
            body = await File.ReadAllBytesAsync(batch.Path, stoppingToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return DeliveryOutcome.Delivered; // trimmed meanwhile
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable here is this batch's fault, not the collector's: it fails, and is set aside like one the
            // collector cannot take.
            counters.DeliveryFailed();
            LogMessages.DeliveryFailed(logger, endpoint.ToString(), batch.Key, e.Message);
            return DeliveryOutcome.Failed;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(WireFormat.ContentType);
        request.Headers.Add(WireFormat.BatchKeyHeader, batch.Key);
        if (collector.Token.Value.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", collector.Token.Value);
        }
        HttpStatusCode status;
        TimeSpan retryAfter;
        var receipt = DeliveryReceipt.None;
        try
        {
            // Headers first: the body is read only for a 2xx, and only so far (the default would buffer it all).
            using var response = await collector.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stoppingToken).ConfigureAwait(false);
            status = response.StatusCode;
            retryAfter = RetryAfter(response.Headers.RetryAfter, DateTimeOffset.UtcNow);
            if (response.IsSuccessStatusCode)
            {
                receipt = await ReadReceiptAsync(response, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
        {
            counters.DeliveryFailed();
            counters.CollectorAnswered(false);
            LogMessages.DeliveryFailed(logger, endpoint.ToString(), batch.Key, e.Message);
            return DeliveryOutcome.Failed;
        }
        var outcome = Classify(status);
        // Reachable means accepting: a collector that answers 401, busy or 5xx to everything is of no use to this node.
        counters.CollectorAnswered(outcome is DeliveryOutcome.Delivered or DeliveryOutcome.Rejected);
        bool refused = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
        counters.TokenRefused(refused);
        if (refused)
        {
            ReloadToken();
        }
        switch (outcome)
        {
            case DeliveryOutcome.Delivered:
                BatchSpool.Remove(batch);
                counters.BatchDelivered(DateTimeOffset.UtcNow);
                if (receipt.Refused > 0)
                {
                    // The daemon's summaries are within SummaryBounds: a refusal is a bug or a version mismatch.
                    counters.SummariesRefused(receipt.Refused);
                    LogMessages.SummariesRefused(logger, batch.Key, receipt.Refused, receipt.FirstIndex, receipt.FirstReason);
                }
                break;
            case DeliveryOutcome.Busy:
                counters.DeliveryFailed();
                if (retryAfter > TimeSpan.Zero)
                {
                    _busyUntil[endpoint] = DateTimeOffset.UtcNow + retryAfter;
                }
                LogMessages.DeliveryFailed(logger, endpoint.ToString(), batch.Key, $"HTTP {(int)status}, busy: retry after {retryAfter.TotalSeconds:0.#} s");
                break;
            case DeliveryOutcome.Rejected:
                spool.Reject(batch);
                counters.BatchRejected();
                LogMessages.BatchRejected(logger, batch.Key, (int)status);
                break;
            default:
                counters.DeliveryFailed();
                LogMessages.DeliveryFailed(logger, endpoint.ToString(), batch.Key, $"HTTP {(int)status}");
                break;
        }
        return outcome;
    }

    /// <summary>Reads the first <see cref="DeliveryReceipt.MaxBytes"/> of a 2xx answer, within
    /// <see cref="ReceiptTimeout"/>. The batch is acknowledged whatever comes of it: a receipt that cannot be read
    /// counts no refusal.</summary>
    private static async Task<DeliveryReceipt> ReadReceiptAsync(HttpResponseMessage response, CancellationToken stoppingToken)
    {
        if (response.Content.Headers.ContentLength == 0)
        {
            return DeliveryReceipt.None;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(ReceiptTimeout);
        var buffer = new byte[DeliveryReceipt.MaxBytes];
        int length = 0;
        bool complete = false;
        try
        {
            using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            while (length < buffer.Length)
            {
                int read = await body.ReadAsync(buffer.AsMemory(length), timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    complete = true;
                    break;
                }
                length += read;
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
        {
            // What came is read; the rest is lost with the connection.
        }
        return DeliveryReceipt.Read(buffer.AsSpan(0, length), complete);
    }

    /// <summary>2xx is an acknowledgement; 503 and 429 say the collector is busy; 4xx other than timeouts and
    /// throttling means the batch itself is bad.</summary>
    public static DeliveryOutcome Classify(HttpStatusCode status) => (int)status switch
    {
        >= 200 and < 300 => DeliveryOutcome.Delivered,
        429 or 503 => DeliveryOutcome.Busy,
        408 => DeliveryOutcome.Failed,
        // 401/403 are configuration faults on our side: keep the batch until the token is fixed.
        401 or 403 => DeliveryOutcome.Failed,
        >= 400 and < 500 => DeliveryOutcome.Rejected,
        _ => DeliveryOutcome.Failed,
    };

    /// <summary>The token may have been rotated: read it again; a file that became unsafe keeps the old one.</summary>
    private void ReloadToken()
    {
        try
        {
            collector.Token.Load();
        }
        catch (Cli.UsageException e)
        {
            LogMessages.TokenUnusable(logger, e.Message);
        }
    }
}
