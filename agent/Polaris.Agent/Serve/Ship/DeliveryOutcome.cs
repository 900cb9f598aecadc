namespace Polaris.Agent.Serve.Ship;

/// <summary>What became of one attempt to deliver a batch.</summary>
public enum DeliveryOutcome
{
    /// <summary>The collector acknowledged it (stored now or before): forget it.</summary>
    Delivered,

    /// <summary>The collector refused it as malformed: resending cannot help.</summary>
    Rejected,

    /// <summary>No acknowledgement (collector down, overloaded, network): keep it and retry later.</summary>
    Failed,
}
