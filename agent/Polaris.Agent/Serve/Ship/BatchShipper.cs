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

    private readonly Backoff _backoff = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(2));
    private readonly DeferredRetry _deferred = new();
    // Failures in a row per batch: only the head of the queue and the one tried behind it ever fail in a pass, and
    // an entry goes with its batch, so this holds a few entries.
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private int _failuresInRow;
    // Whether the last attempt that got past a suspect was taken: only then is a deferred batch's failure its own.
    private bool _accepting;

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
        try
        {
            using var response = await collector.Http.SendAsync(request, stoppingToken).ConfigureAwait(false);
            status = response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
        {
            counters.DeliveryFailed();
            counters.CollectorAnswered(false);
            LogMessages.DeliveryFailed(logger, endpoint.ToString(), batch.Key, e.Message);
            return DeliveryOutcome.Failed;
        }
        var outcome = Classify(status);
        // Reachable means accepting: a collector that answers 401 or 5xx to everything is of no use to this node.
        counters.CollectorAnswered(outcome != DeliveryOutcome.Failed);
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

    /// <summary>2xx is an acknowledgement; 4xx other than timeouts and throttling means the batch itself is bad.</summary>
    public static DeliveryOutcome Classify(HttpStatusCode status) => (int)status switch
    {
        >= 200 and < 300 => DeliveryOutcome.Delivered,
        408 or 429 => DeliveryOutcome.Failed,
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
