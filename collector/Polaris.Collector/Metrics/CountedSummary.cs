using Polaris.Collector.Aggregation;
using Polaris.Collector.Jobs;

namespace Polaris.Collector.Metrics;

/// <summary>A stored summary as the metrics count it.</summary>
/// <param name="Facts">What it counts (for a later version of a live summary, what it adds).</param>
/// <param name="Job">Its job's state, null outside a job.</param>
/// <param name="ReceivedAtUtc">When it arrived.</param>
/// <param name="First">False for a later version of a live summary, already counted as a summary.</param>
public readonly record struct CountedSummary(SummaryFacts Facts, JobState? Job, DateTime ReceivedAtUtc, bool First);
