namespace Polaris.Collector.Ingest;

/// <summary>The acknowledgement of a batch.</summary>
/// <param name="Batch">The batch key.</param>
/// <param name="Summaries">Summaries the batch carried.</param>
/// <param name="Processes">Processes they merge.</param>
/// <param name="Duplicate">True when the key had been stored before, so nothing was counted this time.</param>
public sealed record BatchReceipt(string Batch, int Summaries, int Processes, bool Duplicate);
