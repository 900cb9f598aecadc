using System.Text;
using static Polaris.Collector.Dashboard.Markup;

namespace Polaris.Collector.Dashboard;

/// <summary>What every chart's SVG shares: its opening tag and title, its legend, and what it says with no data.</summary>
internal static class ChartSvg
{
    /// <summary>The opening tag and title. No <c>xmlns</c>: an SVG inside HTML takes its namespace from the parser,
    /// and the page names no other host, not even the W3C's.</summary>
    public static StringBuilder Open(string chart, string title, int width, int height) =>
        new StringBuilder(4096)
            .Append($"<svg class=\"chart-svg\" data-chart=\"{Escape(chart)}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\"")
            .Append($" role=\"img\" aria-label=\"{Escape(title)}\"><title>{Escape(title)}</title>");

    /// <summary>A swatch and a name per series, in a row from <paramref name="x"/>, the first in colour
    /// <paramref name="firstColour"/>.</summary>
    public static void Legend(StringBuilder svg, IReadOnlyList<string> series, int x, int y, int firstColour = 0)
    {
        ArgumentNullException.ThrowIfNull(svg);
        ArgumentNullException.ThrowIfNull(series);
        for (int i = 0; i < series.Count; i++)
        {
            svg.Append($"<g class=\"legend\" data-series=\"{Escape(series[i])}\"><rect class=\"s{(firstColour + i) % Palette}\" x=\"{x}\" y=\"{y + 4}\" width=\"12\" height=\"12\"/>")
                .Append($"<text x=\"{x + 17}\" y=\"{y + 15}\">{Escape(Short(series[i], 28))}</text></g>");
            x += 30 + (7 * Math.Min(series[i].Length, 28));
        }
    }

    /// <summary>The sentence a chart without rows shows.</summary>
    public static void Empty(StringBuilder svg, int x, int y)
    {
        ArgumentNullException.ThrowIfNull(svg);
        svg.Append($"<text class=\"empty\" x=\"{x}\" y=\"{y}\" text-anchor=\"middle\" data-empty=\"true\">No data for these days and filters</text>");
    }

    /// <summary>Colours the stylesheet defines (<c>s0</c> to <c>s7</c>); series past them take them again.</summary>
    public const int Palette = 8;
}
