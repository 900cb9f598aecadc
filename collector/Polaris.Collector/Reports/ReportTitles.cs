using Polaris.Wire;

namespace Polaris.Collector.Reports;

/// <summary>The first line of every report: what it shows and for which days, domain and sources.</summary>
internal static class ReportTitles
{
    public static string Of(string what, ReportQuery query) =>
        $"{what}: UTC days {ReportQuery.Text(query.Since)} to {ReportQuery.Text(query.Until)}"
        + (query.Domain != null ? $", domain {query.Domain}" : "")
        + $", sources {string.Join("+", query.Sources.Select(s => s.Name()))}";

    /// <summary>A library's name in a table: all Python has none.</summary>
    public static string Library(string name) => name.Length == 0 ? "(all Python)" : name;
}
