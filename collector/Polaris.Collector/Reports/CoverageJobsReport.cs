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
        for (int i = 0; i < sources.Length; i++)
        {
            var seen = new Dictionary<string, JobUse>(StringComparer.Ordinal);
            foreach (var (_, chunk) in data.Uses(query with { Sources = [sources[i]] }, UsesSections.Jobs))
            {
                leftOut += PackedUses.AddJobsTo(chunk, seen, _ => false, MaxJobs, times: false);
            }
            foreach (var job in seen.Values)
            {
                // The processes of the job's summaries of the domain asked for, or of all.
                long processes = query.Domain == null ? job.DomainProcesses.Values.Sum() : job.DomainProcesses.GetValueOrDefault(query.Domain);
                if (processes == 0 || (!jobs.TryGetValue(job.Key, out var counts) && jobs.Count == MaxJobs))
                {
                    leftOut += processes == 0 ? 0 : 1;
                    continue;
                }
                if (counts == null)
                {
                    jobs[job.Key] = counts = new long[sources.Length];
                }
                counts[i] += processes;
            }
        }
        var table = new ReportTable(ReportTitles.Of("Coverage job by job", query),
            ["job", "sources", .. sources.Select(s => s.Name() + "-processes")]);
        foreach (var (key, processes) in jobs.OrderByDescending(j => j.Value.Sum()).ThenBy(j => j.Key, StringComparer.Ordinal).Take(Jobs))
        {
            table.Add([key, string.Join("+", sources.Where((_, i) => processes[i] > 0).Select(s => s.Name())), .. processes.Cast<object>()]);
        }
        table.Notes.Add($"{Math.Min(Jobs, jobs.Count)} of {jobs.Count} jobs, the most processes first; a job is its id up to the first dot, so XALT's 1234501 and PyModuleSnooper's 1234501.polaris-pbs-01 are one job");
        if (leftOut > 0)
        {
            table.Notes.Add($"{leftOut} parts of jobs past the first {MaxJobs} are left out");
        }
        return table;
    }
}
