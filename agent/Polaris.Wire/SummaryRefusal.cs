namespace Polaris.Wire;

/// <summary>A summary of a batch that the reader refused, alone: the other summaries of its batch stand.</summary>
/// <param name="Index">Its position in the batch's <c>sums</c>.</param>
/// <param name="Reason">What was wrong with it, for the agent's log and the collector's.</param>
/// <param name="Kind">The class of the reason, for a metric's label.</param>
public sealed record SummaryRefusal(int Index, string Reason, SummaryRefusalKind Kind);
