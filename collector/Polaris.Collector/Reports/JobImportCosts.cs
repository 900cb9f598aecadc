namespace Polaris.Collector.Reports;

/// <summary>The import cost of every job of a query's days (the agent's stored summaries, within
/// <c>retentionDays</c>), with each job's node count resolved.</summary>
public sealed class JobImportCosts
{
    /// <summary>Most jobs held at once: a report's memory stays bounded over any store; summaries of jobs past it are
    /// counted in <see cref="SummariesLeftOut"/> and the report says so.</summary>
    public const int MaxJobs = 500_000;

    private JobImportCosts(IReadOnlyList<(JobImportCost Job, int Nodes)> jobs, long leftOut)
    {
        Jobs = jobs;
        SummariesLeftOut = leftOut;
    }

    /// <summary>Each job with its node count (<see cref="JobImportCost.Nodes"/>).</summary>
    public IReadOnlyList<(JobImportCost Job, int Nodes)> Jobs { get; }

    /// <summary>Summaries of jobs past <see cref="MaxJobs"/>, not counted.</summary>
    public long SummariesLeftOut { get; }

    /// <summary>Reads the query's days, tracking <paramref name="libraries"/>' import times per job (by index).</summary>
    public static JobImportCosts Of(ReportData data, ReportQuery query, IReadOnlyList<string> libraries)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(libraries);
        var index = libraries.Select((name, i) => (name, i)).ToDictionary(l => l.name, l => l.i, StringComparer.Ordinal);
        var jobs = new Dictionary<string, JobImportCost>(StringComparer.Ordinal);
        long leftOut = 0;
        foreach (var summary in data.ImportTimes(query))
        {
            // Outside a job (login nodes, shared by many) no nodes are held for the process.
            if (summary.JobKey.Length == 0)
            {
                continue;
            }
            if (!jobs.TryGetValue(summary.JobKey, out var job))
            {
                if (jobs.Count == MaxJobs)
                {
                    leftOut++;
                    continue;
                }
                jobs[summary.JobKey] = job = new JobImportCost(summary.JobKey, libraries.Count);
            }
            job.Add(summary, index);
        }
        return new JobImportCosts([.. jobs.Values.Select(j => (j, j.Nodes(data.AccountedNodes(j.Key))))], leftOut);
    }
}
