using Polaris.Collector.Access;

namespace Polaris.Collector.Reports;

/// <summary>Top-level libraries ranked by distinct users, then jobs and processes, with the share of all Python users
/// each reaches (the study: NumPy, Zstandard, Cryptography, PIL and YAML track Python use itself).</summary>
public sealed class LibrariesReport : IReport
{
    public string Name => "libraries";

    public string Description => "libraries ranked by distinct users, jobs and processes, with the share of Python users each reaches";

    public ReadLevel Level => ReadLevel.Aggregates;

    public ReportTable Run(ReportData data, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        var libraries = data.Libraries(query, query.Libraries.Count > 0 ? query.Libraries : null);
        long pythonUsers = libraries.TryGetValue(ReportData.AllPython, out var all) ? all.Users.Count : 0;
        var table = new ReportTable(ReportTitles.Of("Libraries by distinct users", query), ["library", "users", "jobs", "processes", "user-share"]);
        foreach (var library in Ranked(libraries.Values))
        {
            table.AddGroup(library.Users.Count, ReportTitles.Library(library.Library), (long)library.Users.Count, (long)library.Jobs.Count, library.Processes,
                pythonUsers == 0 ? 0.0 : (double)library.Users.Count / pythonUsers);
        }
        table.Notes.Add("processes: those whose program imported the library (start-up imports from .pth files are not counted); user-share: of all Python users in the same days and sources");
        return table;
    }

    /// <summary>All Python first, then by users, jobs and processes, most first, and by name.</summary>
    internal static IEnumerable<LibraryAggregate> Ranked(IEnumerable<LibraryAggregate> libraries) =>
        libraries
            .OrderBy(l => l.Library.Length == 0 ? 0 : 1)
            .ThenByDescending(l => l.Users.Count).ThenByDescending(l => l.Jobs.Count).ThenByDescending(l => l.Processes)
            .ThenBy(l => l.Library, StringComparer.Ordinal);
}
