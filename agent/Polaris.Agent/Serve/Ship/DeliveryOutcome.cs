namespace Polaris.Agent.Serve.Ship;

/// <summary>What became of one attempt to deliver a batch.</summary>
public enum DeliveryOutcome
{
    /// <summary>The collector acknowledged it (stored now or before): forget it.</summary>
    Delivered,

    /// <summary>The collector refused it as malformed: resending cannot help.</summary>
    Rejected,

    /// <summary>No acknowledgement (collector down, a server error, network, a timeout): keep it and retry later.</summary>
    Failed,

    /// <summary>The collector cannot take a batch now (503, 429: its memory or store is full): nothing about this
    /// batch; keep it and the order, and retry after the Retry-After given.</summary>
    Busy,
}
