using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>One stored summary of a day as the period roll-ups of uses read it (<see cref="CollectorStore.UsesOn"/>).</summary>
/// <param name="Id">Its sequence number in the store.</param>
/// <param name="Source">Who recorded it.</param>
/// <param name="Uses">Its modules and shared objects; null when its module table is missing.</param>
/// <param name="Times">Its processes' import times: the agent's summaries only (the tools imported time nothing).</param>
/// <param name="Job">Its job and processes; null outside a job.</param>
public sealed record StoredDaySummary(long Id, RecordSource Source, StoredUses? Uses, StoredImportTimes? Times, StoredJobProcesses? Job);
