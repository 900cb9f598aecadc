using Polaris.Collector.Aggregation;

namespace Polaris.Collector.Storage;

/// <summary>A summary stored but not yet folded into the roll-ups: its sequence number and what it counts (for a later
/// version of a live summary, what it adds to the version before).</summary>
/// <param name="Sequence">Its document's id.</param>
/// <param name="Facts">What it counts.</param>
/// <param name="First">False for a later version of a live summary: the summary was counted in
/// <c>polaris_summaries_total</c> already.</param>
public sealed record StoredSummary(long Sequence, SummaryFacts Facts, bool First = true);
