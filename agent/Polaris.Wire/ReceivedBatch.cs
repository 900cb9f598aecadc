namespace Polaris.Wire;

/// <summary>A batch as a collector takes it in: the summaries that passed, and those refused one by one.</summary>
/// <param name="Batch">The batch, holding only the summaries that passed.</param>
/// <param name="Refused">The summaries refused, by their index in the batch as sent.</param>
public sealed record ReceivedBatch(Batch Batch, IReadOnlyList<SummaryRefusal> Refused);
