namespace Polaris.Collector.Ingest;

/// <summary>One summary refused, as the receipt lists it.</summary>
/// <param name="Index">Its position in the batch's <c>sums</c>.</param>
/// <param name="Reason">What was wrong with it.</param>
public sealed record RefusedSummary(int Index, string Reason);
