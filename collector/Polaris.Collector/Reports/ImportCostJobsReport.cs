using System.Globalization;
using Polaris.Collector.Access;
using Polaris.Wire;

namespace Polaris.Collector.Reports;

/// <summary>The jobs that paid most for their imports, in node-hours (<see cref="JobImportCost"/>): the second half of
/// the import-cost question, apart because it names jobs and users.</summary>
public sealed class ImportCostJobsReport : IReport
{
    /// <summary>Jobs listed, the most node-hours first.</summary>
    public const int Jobs = 100;

    public string Name => "import-cost-jobs";

    public string Description => "the jobs that spent most node-hours importing, with their users, node counts and import times (names jobs: admin token)";

    public ReadLevel Level => ReadLevel.UserData;

    public ReportTable Run(ReportData data, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        var shown = query with { Domain = null, Sources = [RecordSource.Agent] };
        var costs = JobImportCosts.Of(data, shown, []);
        var table = new ReportTable(ReportTitles.Of("Jobs by node-hours spent importing", shown),
            ["job", "user", "nodes", "processes", "import-seconds", "slowest-node-seconds", "node-hours"]);
        foreach (var (job, nodes) in costs.Jobs.OrderByDescending(j => j.Job.NodeHours(j.Nodes)).ThenBy(j => j.Job.Key, StringComparer.Ordinal).Take(Jobs))
        {
            table.Add(job.Key, job.User.Name.Length > 0 ? job.User.Name : job.User.Uid.ToString(CultureInfo.InvariantCulture), (long)nodes,
                job.Processes, job.ImportNs / 1e9, job.WallNs / 1e9, job.NodeHours(nodes));
        }
        table.Notes.Add("import-seconds: the job's processes' import times summed; slowest-node-seconds: the wall time of its slowest node with a process importing; " + ImportCostReport.NodeHoursNote);
        if (costs.PartsLeftOut > 0)
        {
            table.Notes.Add($"{costs.PartsLeftOut} day or month parts of jobs past the first {JobImportCosts.MaxJobs} are left out");
        }
        return table;
    }
}
