using Polaris.Collector.Access;
using Polaris.Wire;

namespace Polaris.Collector.Reports;

/// <summary>Coverage job by job: which sources saw each job and how many processes each recorded, the jobs with the
/// most processes first. The counts and overlaps without job ids are <see cref="CoverageReport"/>'s.</summary>
public sealed class CoverageJobsReport : IReport
{
    /// <summary>Jobs listed, the most processes first: the report frameworks' queries take no limit.</summary>
    public const int Jobs = 200;

    /// <summary>Most jobs held at once; summaries of jobs past it are counted and the report says so.</summary>
    public const int MaxJobs = 1_000_000;

    public string Name => "coverage-jobs";

    public string Description => "job by job, which sources saw each job and the processes each recorded (names jobs: admin token)";

    public ReadLevel Level => ReadLevel.UserData;

    public ReportTable Run(ReportData data, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        var sources = query.Sources.ToArray();
        var jobs = new Dictionary<string, long[]>(StringComparer.Ordinal);
        long leftOut = 0;
        foreach (var summary in data.JobProcesses(query))
        {
            if (!jobs.TryGetValue(summary.JobKey, out var processes))
            {
                if (jobs.Count == MaxJobs)
                {
                    leftOut++;
                    continue;
                }
                jobs[summary.JobKey] = processes = new long[sources.Length];
            }
            processes[Array.IndexOf(sources, summary.Source)] += summary.Processes;
        }
        var table = new ReportTable(ReportTitles.Of("Coverage job by job", query),
            ["job", "sources", .. sources.Select(s => s.Name() + "-processes")]);
        foreach (var (key, processes) in jobs.OrderByDescending(j => j.Value.Sum()).ThenBy(j => j.Key, StringComparer.Ordinal).Take(Jobs))
        {
            table.Add([key, string.Join("+", sources.Where((_, i) => processes[i] > 0).Select(s => s.Name())), .. processes.Cast<object>()]);
        }
        table.Notes.Add($"{Math.Min(Jobs, jobs.Count)} of {jobs.Count} jobs, the most processes first; a job is its id up to the first dot, so XALT's 1234501 and PyModuleSnooper's 1234501.polaris-pbs-01 are one job; from the stored summaries (retentionDays)");
        if (leftOut > 0)
        {
            table.Notes.Add($"{leftOut} summaries of jobs past the first {MaxJobs} are left out");
        }
        return table;
    }
}
