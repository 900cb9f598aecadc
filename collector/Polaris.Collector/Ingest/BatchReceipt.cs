namespace Polaris.Collector.Ingest;

/// <summary>The acknowledgement of a batch.</summary>
/// <param name="Batch">The batch key.</param>
/// <param name="Records">Records the batch carried.</param>
/// <param name="Duplicate">True when the key had been stored before, so nothing was counted this time.</param>
public sealed record BatchReceipt(string Batch, int Records, bool Duplicate);
