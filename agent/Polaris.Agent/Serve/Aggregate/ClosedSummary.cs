namespace Polaris.Agent.Serve.Aggregate;

/// <summary>A summary due to be spooled: its last version (<paramref name="Final"/>), or a version of a live summary
/// that stays open.</summary>
/// <param name="Summary">The summary.</param>
/// <param name="Final">True when nothing more joins it: its drop files go once it is spooled.</param>
public readonly record struct ClosedSummary(OpenSummary Summary, bool Final);
