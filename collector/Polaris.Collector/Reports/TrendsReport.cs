using Polaris.Collector.Access;

namespace Polaris.Collector.Reports;

/// <summary>Daily users, jobs and processes per library over time: all Python and chosen libraries (or those with the
/// most users).</summary>
public sealed class TrendsReport : IReport
{
    /// <summary>Libraries shown when none is named: those with the most users over the days.</summary>
    public const int DefaultLibraries = 5;

    public string Name => "trends";

    public string Description => "daily distinct users, jobs and processes of all Python and of chosen libraries (library=NAME)";

    public ReadLevel Level => ReadLevel.Aggregates;

    public ReportTable Run(ReportData data, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyCollection<string> chosen = query.Libraries.Count > 0
            ? query.Libraries
            : LibrariesReport.Ranked(data.Libraries(query).Values).Where(l => l.Library.Length > 0).Take(DefaultLibraries).Select(l => l.Library).ToArray();
        var user = data.UserNumbers();
        var days = new SortedDictionary<(DateOnly Day, string Library), LibraryAggregate>();
        foreach (var (day, _, rollup) in data.Days(query, chosen))
        {
            string library = rollup["lib"].AsString;
            if (!days.TryGetValue((day, library), out var aggregate))
            {
                days[(day, library)] = aggregate = new LibraryAggregate(library);
            }
            aggregate.Add(rollup, query.Domain, user);
        }
        var table = new ReportTable(ReportTitles.Of("Daily use", query), ["day", "library", "users", "jobs", "processes"]);
        foreach (var ((day, library), aggregate) in days)
        {
            table.AddGroup(aggregate.Users.Count, ReportQuery.Text(day), ReportTitles.Library(library), (long)aggregate.Users.Count, (long)aggregate.Jobs.Count, aggregate.Processes);
        }
        table.Notes.Add("a day is the UTC day the processes started; days without use have no row");
        return table;
    }
}
