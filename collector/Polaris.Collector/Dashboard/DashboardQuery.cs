using Polaris.Collector.Reports;
using Polaris.Wire;

namespace Polaris.Collector.Dashboard;

/// <summary>The dashboard's filters: the reports' own query (<see cref="ReportQuery.Parse"/>, so a wrong one is the
/// same 400), read from what the page's form sends.</summary>
public static class DashboardQuery
{
    private static readonly string[] Blankable = ["since", "until", "domain"];

    /// <summary>Reads a request's query. A form sends every field, so a blank date or domain ("all domains") is one
    /// not chosen, where the API refuses an empty value.</summary>
    /// <param name="query">The request's query.</param>
    /// <param name="today">Today, UTC.</param>
    /// <param name="maxDays">The most days the query may span (<see cref="ReportQuery.MaxReadDays"/> for a read token).</param>
    /// <exception cref="ReportQueryException">The query is wrong: the message says why.</exception>
    public static ReportQuery Parse(IQueryCollection query, DateOnly today, int maxDays = ReportQuery.MaxDays)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReportQuery.Parse(
            query.Select(q => new KeyValuePair<string, IReadOnlyList<string>>(q.Key,
                    q.Value.Select(v => v ?? "").Where(v => v.Length > 0 || !Blankable.Contains(q.Key, StringComparer.OrdinalIgnoreCase)).ToArray()))
                .Where(q => q.Value.Count > 0),
            today, maxDays);
    }

    /// <summary>The query string of <paramref name="query"/> (without <c>?</c>), as the API takes it: the days, the
    /// domain, the sources when not all, the libraries.</summary>
    public static string Text(ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<(string, string)> { ("since", ReportQuery.Text(query.Since)), ("until", ReportQuery.Text(query.Until)) };
        if (query.Domain != null)
        {
            parameters.Add(("domain", query.Domain));
        }
        if (query.Sources.Count < Enum.GetValues<RecordSource>().Length)
        {
            parameters.AddRange(query.Sources.Select(s => ("source", s.Name())));
        }
        parameters.AddRange(query.Libraries.Select(l => ("library", l)));
        return string.Join('&', parameters.Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
    }
}
