using System.Net;
using System.Text.RegularExpressions;

namespace Polaris.Collector.Tests.Dashboard;

/// <summary>Reads a serialized page (Chromium's <c>--dump-dom</c>, or the collector's HTML): a chart's section and its
/// elements' attributes.</summary>
/// <remarks>In serialized HTML an attribute value is always in double quotes with <c>"</c> escaped, but may hold a raw
/// <c>&lt;</c> or <c>&gt;</c> (a library named <c>&lt;script&gt;</c> is one): elements are matched attribute by
/// attribute, never with <c>[^&gt;]*</c>.</remarks>
internal static partial class DashboardDom
{
    /// <summary>The section of the chart <paramref name="chart"/>.</summary>
    public static string Section(string html, string chart)
    {
        int start = html.IndexOf($"<section id=\"chart-{chart}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section of the chart {chart}");
        int end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    /// <summary>Every <paramref name="tag"/> element's attributes, their values decoded.</summary>
    public static IReadOnlyList<Dictionary<string, string>> Elements(string html, string tag) =>
        Element().Matches(html).Where(m => m.Groups["tag"].Value == tag)
            .Select(m => Attribute().Matches(m.Groups["attributes"].Value)
                .ToDictionary(a => a.Groups["name"].Value, a => WebUtility.HtmlDecode(a.Groups["value"].Value), StringComparer.Ordinal))
            .ToArray();

    /// <summary>The page with every attribute value emptied: what is left is elements and text, so a <c>&lt;script</c>
    /// in it is an element.</summary>
    public static string Markup(string html) => QuotedValue().Replace(html, "\"\"");

    [GeneratedRegex("<(?<tag>[a-z]+)(?<attributes>(?:\\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:=\"[^\"]*\")?)*)\\s*/?>")]
    private static partial Regex Element();

    [GeneratedRegex("(?<name>[a-zA-Z_:][-a-zA-Z0-9_:.]*)=\"(?<value>[^\"]*)\"")]
    private static partial Regex Attribute();

    [GeneratedRegex("=\"[^\"]*\"")]
    private static partial Regex QuotedValue();
}
