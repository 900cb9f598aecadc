using Polaris.Collector.Aggregation;

namespace Polaris.Collector.Storage;

/// <summary>One stored summary of the agent's as the import-cost reports read it: its job and node, and when each of
/// its processes started and how long it spent importing.</summary>
/// <param name="JobKey">The job key; empty outside a job.</param>
/// <param name="Host">The node.</param>
/// <param name="Uid">The user's number.</param>
/// <param name="User">The user's name; empty when the node did not know it.</param>
/// <param name="Nodes">The job's node count as the processes saw it; 0 when not known.</param>
/// <param name="Processes">Per process: its start (UTC) and its wall time in outermost imports, in ns.</param>
/// <param name="Libraries">The summary's libraries, with their top-level import times over its processes.</param>
public sealed record StoredImportTimes(string JobKey, string Host, long Uid, string User, int Nodes,
    IReadOnlyList<(DateTime Start, long ImportNs)> Processes, IReadOnlyList<LibraryFacts> Libraries);
