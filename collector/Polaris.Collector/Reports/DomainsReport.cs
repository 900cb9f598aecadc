using Polaris.Collector.Access;

namespace Polaris.Collector.Reports;

/// <summary>Libraries by science domain (the study: Computer Science is dominated by NumPy, SciPy and Pandas): per
/// domain, its libraries ranked by distinct users.</summary>
public sealed class DomainsReport : IReport
{
    /// <summary>Libraries shown per domain.</summary>
    public const int PerDomain = 20;

    public string Name => "domains";

    public string Description => $"per science domain, its {PerDomain} libraries with the most distinct users";

    public ReadLevel Level => ReadLevel.Aggregates;

    public ReportTable Run(ReportData data, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        var libraries = data.Libraries(query, query.Libraries.Count > 0 ? query.Libraries : null);
        var table = new ReportTable(ReportTitles.Of("Libraries by science domain", query), ["domain", "library", "users", "jobs", "processes", "domain-user-share"]);
        var domains = libraries.Values.SelectMany(l => l.Domains.Select(d => (Domain: d.Key, Library: l.Library, Use: d.Value)))
            .GroupBy(d => d.Domain, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var domain in domains)
        {
            long domainUsers = domain.Where(d => d.Library.Length == 0).Select(d => (long)d.Use.Users.Count).FirstOrDefault();
            var ranked = domain
                .OrderBy(d => d.Library.Length == 0 ? 0 : 1)
                .ThenByDescending(d => d.Use.Users.Count).ThenByDescending(d => d.Use.Jobs.Count).ThenByDescending(d => d.Use.Processes)
                .ThenBy(d => d.Library, StringComparer.Ordinal)
                .Take(PerDomain + 1);
            foreach (var (name, library, use) in ranked)
            {
                table.AddGroup(use.Users.Count, name, ReportTitles.Library(library), (long)use.Users.Count, (long)use.Jobs.Count, use.Processes,
                    domainUsers == 0 ? 0.0 : (double)use.Users.Count / domainUsers);
            }
        }
        table.Notes.Add("domain: from the domain table by the job's project; unknown when the project is not listed, none outside any job");
        return table;
    }
}
