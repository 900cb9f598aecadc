using Polaris.Collector.Access;
using Polaris.Wire;

namespace Polaris.Collector.Reports;

/// <summary>What each source saw (the agent, XALT, PyModuleSnooper): distinct jobs, users and processes, and the jobs
/// and users they saw in common (the study: XALT saw nearly twice as many jobs as PyModuleSnooper).</summary>
public sealed class CoverageReport : IReport
{
    public string Name => "coverage";

    public string Description => "distinct jobs, users and processes seen by each source, and what they saw in common";

    public ReadLevel Level => ReadLevel.Aggregates;

    public ReportTable Run(ReportData data, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        var seen = query.Sources.ToDictionary(s => s, s => data.Libraries(query with { Sources = [s] }, [])
            .GetValueOrDefault(ReportData.AllPython) ?? new LibraryAggregate(ReportData.AllPython));
        var table = new ReportTable(ReportTitles.Of("Coverage by source", query), ["sources", "jobs", "users", "processes"]);
        foreach (var (source, aggregate) in seen)
        {
            table.AddGroup(aggregate.Users.Count, source.Name(), (long)aggregate.Jobs.Count, (long)aggregate.Users.Count, aggregate.Processes);
        }
        // Every combination of two sources or more: what all of them saw.
        var sources = seen.Keys.ToArray();
        for (int mask = 1; mask < 1 << sources.Length; mask++)
        {
            var members = sources.Where((_, i) => (mask & (1 << i)) != 0).ToArray();
            if (members.Length < 2)
            {
                continue;
            }
            var jobs = members.Skip(1).Aggregate(new HashSet<long>(seen[members[0]].Jobs), (set, s) => { set.IntersectWith(seen[s].Jobs); return set; });
            var users = members.Skip(1).Aggregate(new HashSet<long>(seen[members[0]].Users), (set, s) => { set.IntersectWith(seen[s].Users); return set; });
            table.AddGroup(users.Count, string.Join(" and ", members.Select(m => m.Name())), (long)jobs.Count, (long)users.Count, "");
        }
        var anyJobs = seen.Values.SelectMany(a => a.Jobs).ToHashSet();
        var anyUsers = seen.Values.SelectMany(a => a.Users).ToHashSet();
        table.AddGroup(anyUsers.Count, "any", (long)anyJobs.Count, (long)anyUsers.Count, "");
        table.Notes.Add("a job is its id up to the first dot, so XALT's 1234501 and PyModuleSnooper's 1234501.polaris-pbs-01 are one job; users by uid, an imported name by the uid the agent showed for it");
        return table;
    }
}
