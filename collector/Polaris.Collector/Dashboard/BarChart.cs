using System.Text;
using static Polaris.Collector.Dashboard.Markup;

namespace Polaris.Collector.Dashboard;

/// <summary>Horizontal bars as one inline SVG: a row per label, one bar per series (side by side) or the series'
/// segments end to end (<c>stacked</c>), rows in groups that each have their own scale and heading (the domains).</summary>
/// <remarks>Every bar is a <c>rect</c> carrying its figures (<c>data-label</c>, <c>data-series</c>,
/// <c>data-value</c>, <c>data-group</c>) and a <c>title</c>, so that what a reader sees can be checked against the
/// report it came from; colours come from the stylesheet's <c>s0</c>.. classes.</remarks>
/// <param name="series">The series' names, as the report's columns call them (<c>users</c>, <c>base-only</c>).</param>
/// <param name="stacked">Segments end to end, the row's total after them; otherwise a bar per series.</param>
internal sealed class BarChart(IReadOnlyList<string> series, bool stacked)
{
    private const int Width = 960, LabelRight = 250, BarLeft = 260, BarSpan = 600, LegendHeight = 28, HeadingHeight = 30;
    private const int LabelCharacters = 36;

    private readonly List<(string? Group, string Label, long[] Values)> _rows = [];
    private readonly Dictionary<string, string> _headings = new(StringComparer.Ordinal);

    private int RowHeight => stacked || series.Count == 1 ? 24 : (series.Count * 13) + 9;

    /// <summary>The rows added.</summary>
    public int Count => _rows.Count;

    /// <summary>Starts a group of rows under <paramref name="heading"/>; the rows added next belong to it.</summary>
    public void Group(string group, string heading) => _headings[group] = heading;

    /// <summary>A row: one value per series.</summary>
    public void Row(string? group, string label, params long[] values)
    {
        if (values.Length != series.Count)
        {
            throw new ArgumentException($"a row needs {series.Count} values", nameof(values));
        }
        _rows.Add((group, label, values));
    }

    /// <summary>The SVG, titled <paramref name="title"/>.</summary>
    public string Render(string chart, string title)
    {
        var groups = _rows.GroupBy(r => r.Group).ToArray();
        int height = (series.Count > 1 ? LegendHeight : 0) + 10
            + groups.Sum(g => (g.Key != null ? HeadingHeight : 0) + (g.Count() * RowHeight)) + (_rows.Count == 0 ? 40 : 0);
        var svg = ChartSvg.Open(chart, title, Width, height);
        int y = 4;
        if (series.Count > 1)
        {
            ChartSvg.Legend(svg, series, BarLeft, y);
            y += LegendHeight;
        }
        if (_rows.Count == 0)
        {
            ChartSvg.Empty(svg, Width / 2, y + 24);
        }
        foreach (var group in groups)
        {
            if (group.Key != null)
            {
                svg.Append($"<text class=\"heading\" x=\"10\" y=\"{y + 20}\" data-group=\"{Escape(group.Key)}\">")
                    .Append(Escape(_headings.GetValueOrDefault(group.Key, group.Key))).Append("</text>");
                y += HeadingHeight;
            }
            // Each group its own scale: a small domain's ranking stays readable beside a large one's.
            long max = Math.Max(1, group.Max(r => stacked ? r.Values.Sum() : r.Values.Max()));
            foreach (var (_, label, values) in group)
            {
                Row(svg, group.Key, label, values, y, max);
                y += RowHeight;
            }
        }
        return svg.Append("</svg>").ToString();
    }

    private void Row(StringBuilder svg, string? group, string label, long[] values, int y, long max)
    {
        string groupAttribute = group == null ? "" : $" data-group=\"{Escape(group)}\"";
        string where = group == null ? label : $"{label} ({group})";
        svg.Append($"<text class=\"label\" x=\"{LabelRight}\" y=\"{y + 15}\" text-anchor=\"end\"><title>{Escape(label)}</title>")
            .Append(Escape(Short(label, LabelCharacters))).Append("</text>");
        double x = BarLeft;
        int barHeight = stacked || series.Count == 1 ? 18 : 11;
        for (int i = 0; i < series.Count; i++)
        {
            double width = (double)BarSpan * values[i] / max;
            double top = stacked || series.Count == 1 ? y + 3 : y + 3 + (i * 13);
            svg.Append($"<rect class=\"bar s{i % ChartSvg.Palette}\" x=\"{Number(x)}\" y=\"{Number(top)}\" width=\"{Number(width)}\" height=\"{barHeight}\"")
                .Append($" data-label=\"{Escape(label)}\" data-series=\"{Escape(series[i])}\" data-value=\"{Number(values[i])}\"{groupAttribute}>")
                .Append($"<title>{Escape(where)}: {Number(values[i])} {Escape(series[i])}</title></rect>");
            if (stacked)
            {
                x += width;
            }
            else if (series.Count > 1)
            {
                svg.Append($"<text class=\"value\" x=\"{Number(x + width + 6)}\" y=\"{Number(top + 10)}\">{Number(values[i])}</text>");
            }
        }
        if (stacked || series.Count == 1)
        {
            long shown = stacked ? values.Sum() : values[0];
            svg.Append($"<text class=\"value\" x=\"{Number((stacked ? x : BarLeft + ((double)BarSpan * values[0] / max)) + 6)}\" y=\"{y + 16}\">{Number(shown)}</text>");
        }
    }
}
