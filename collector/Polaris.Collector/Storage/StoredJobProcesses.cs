using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>One stored summary of a job as the coverage report reads it: who recorded it, the job, and its processes.</summary>
/// <param name="Source">Who recorded it.</param>
/// <param name="JobKey">The job key (<see cref="Scheduler.JobKey.Of"/>); empty outside a job.</param>
/// <param name="Domain">The job's science domain.</param>
/// <param name="Processes">Its processes (a live summary's latest version: all of them).</param>
public sealed record StoredJobProcesses(RecordSource Source, string JobKey, string Domain, int Processes);
