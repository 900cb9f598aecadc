using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polaris.Agent.Serve.Spool;
using Polaris.Wire;

namespace Polaris.Agent.Serve.Ship;

/// <summary>The ship stage: sends spooled batches to the collector, oldest first, and removes each once acknowledged.</summary>
/// <remarks>A failed delivery hands over to the next collector URL at once; only when every URL has failed in a
/// row does the stage back off (exponentially, with jitter).</remarks>
public sealed class BatchShipper(
    CollectorClient collector,
    BatchSpool spool,
    SpoolSignal signal,
    AgentCounters counters,
    ILogger<BatchShipper> logger) : BackgroundService
{
    private readonly Backoff _backoff = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(2));
    private int _failuresInRow;

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
                if (pending.Count == 0)
                {
                    // Nothing to send: no connection is kept open to be looked after while the daemon sleeps.
                    collector.Release();
                    await signal.WaitAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }
                foreach (var batch in pending)
                {
                    var outcome = await SendAsync(collector.Endpoint, batch, stoppingToken).ConfigureAwait(false);
                    if (outcome == DeliveryOutcome.Failed)
                    {
                        collector.FailOver();
                        if (++_failuresInRow >= collector.Count)
                        {
                            _failuresInRow = 0;
                            await Task.Delay(_backoff.Next(), stoppingToken).ConfigureAwait(false);
                        }
                        break;
                    }
                    _failuresInRow = 0;
                    _backoff.Reset();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Whatever is still spooled is sent by the next start.
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
            return DeliveryOutcome.Delivered;
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
        counters.CollectorAnswered((int)status < 500);
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            ReloadToken();
        }
        var outcome = Classify(status);
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
