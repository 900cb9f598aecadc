using Polaris.Wire;

namespace Polaris.Collector.Reports;

/// <summary>The import cost of every job of a query's days (the agent's: the tools imported time nothing), with each
/// job's node count resolved.</summary>
public sealed class JobImportCosts
{
    /// <summary>Most jobs held at once: a report's memory stays bounded over any store; the parts of jobs past it are
    /// counted in <see cref="PartsLeftOut"/> and the report says so.</summary>
    public const int MaxJobs = 500_000;

    private JobImportCosts(IReadOnlyList<(JobImportCost Job, int Nodes)> jobs, long leftOut)
    {
        Jobs = jobs;
        PartsLeftOut = leftOut;
    }

    /// <summary>Each job with its node count (<see cref="JobImportCost.Nodes"/>).</summary>
    public IReadOnlyList<(JobImportCost Job, int Nodes)> Jobs { get; }

    /// <summary>Days' or months' parts of jobs past <see cref="MaxJobs"/>, not counted.</summary>
    public long PartsLeftOut { get; }

    /// <summary>Reads the query's days, tracking <paramref name="libraries"/>' import times per job.</summary>
    public static JobImportCosts Of(ReportData data, ReportQuery query, IReadOnlyList<string> libraries)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(libraries);
        var tracked = libraries.ToHashSet(StringComparer.Ordinal);
        var jobs = new Dictionary<string, JobUse>(StringComparer.Ordinal);
        long leftOut = 0;
        foreach (var (_, chunk) in data.Uses(query with { Sources = [RecordSource.Agent] }, UsesSections.Jobs))
        {
            leftOut += PackedUses.AddJobsTo(chunk, jobs, tracked.Contains, MaxJobs, processes: false);
        }
        // A job the agent timed nothing of (its summaries' processes only) spent nothing known.
        var timed = jobs.Values.Where(j => j.User.Uid >= 0).Select(j => new JobImportCost(j)).ToArray();
        var accounted = data.AccountedNodes(timed.Select(j => j.Key));
        return new JobImportCosts([.. timed.Select(j => (j, j.Nodes(accounted.TryGetValue(j.Key, out int nodes) ? nodes : null)))], leftOut);
    }
}
