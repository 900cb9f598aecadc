namespace Polaris.Collector.Ingest;

/// <summary>The acknowledgement of a batch.</summary>
/// <param name="Batch">The batch key.</param>
/// <param name="Summaries">Summaries stored (for a duplicate: that the batch carried).</param>
/// <param name="Processes">Processes they merge.</param>
/// <param name="Duplicate">True when the key had been stored before, so nothing was counted this time.</param>
/// <param name="Refused">Summaries refused one by one, by their index in the batch, with the reason; never stored.</param>
public sealed record BatchReceipt(string Batch, int Summaries, int Processes, bool Duplicate, IReadOnlyList<RefusedSummary> Refused);
