namespace Polaris.Wire;

/// <summary>A summary of a batch that the reader refused, alone: the other summaries of its batch stand.</summary>
/// <param name="Index">Its position in the batch's <c>sums</c>.</param>
/// <param name="Reason">What was wrong with it, for the agent's log and the collector's.</param>
public sealed record SummaryRefusal(int Index, string Reason);
