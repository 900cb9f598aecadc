using Polaris.Collector.Aggregation;

namespace Polaris.Collector.Storage;

/// <summary>A summary stored but not yet folded into the roll-ups: its sequence number and facts.</summary>
public sealed record StoredSummary(long Sequence, SummaryFacts Facts);
