using System.Globalization;
using Polaris.Collector.Access;

namespace Polaris.Collector.Reports;

/// <summary>The jobs that loaded most from home directories and user sites (which on a shared file system slows the job
/// and everyone else), with their node counts: the agent's live jobs, as the alert sees them, over the query's days.</summary>
public sealed class HomeJobsReport : IReport
{
    /// <summary>Jobs listed.</summary>
    public const int Jobs = 100;

    public string Name => "home-jobs";

    public string Description => "the jobs whose processes loaded most from home directories and user sites, with their node counts (names jobs: admin token)";

    public ReadLevel Level => ReadLevel.UserData;

    public ReportTable Run(ReportData data, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        var since = query.Since.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var until = query.Until.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var table = new ReportTable(ReportTitles.Of("Jobs loading from home directories", query with { Sources = [Polaris.Wire.RecordSource.Agent], Domain = null }),
            ["job", "uid", "account", "queue", "nodes", "home-processes", "last-seen", "ended"]);
        foreach (var job in data.HomeLoadingJobs(since, until, Jobs))
        {
            table.Add(job.Key, job.Uid, job.Account, job.Queue, (long)job.NodeCount, job.HomeProcesses,
                job.LastSeenUtc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                job.EndedUtc?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "");
        }
        table.Notes.Add("home-processes: processes of the job that loaded a module from a home directory or a user site (start-up included); nodes: from the PBS accounting record when imported, else as the job's processes saw it; the agent's jobs only (the imported tools' records are past)");
        return table;
    }
}
