using System.Text;
using Polaris.Collector.Reports;
using static Polaris.Collector.Dashboard.Markup;

namespace Polaris.Collector.Dashboard;

/// <summary>Values by day as lines, one per series (library), over every day from <paramref name="since"/> to
/// <paramref name="until"/>: a day a series has no value for is 0 (a report has no row for a day without use).</summary>
/// <remarks>Each line is a <c>polyline</c> named by <c>data-label</c>; each value the report gave is a <c>circle</c>
/// with <c>data-label</c>, <c>data-day</c> and <c>data-value</c> and a <c>title</c>.</remarks>
internal sealed class LineChart(DateOnly since, DateOnly until, string unit)
{
    private const int Width = 960, Height = 360, Left = 60, Right = 20, Top = 12, Bottom = 40, Ticks = 5;

    private readonly List<(string Label, SortedDictionary<DateOnly, long> Values)> _series = [];

    /// <summary>The value of <paramref name="label"/> on <paramref name="day"/>.</summary>
    public void Point(string label, DateOnly day, long value)
    {
        var series = _series.FirstOrDefault(s => string.Equals(s.Label, label, StringComparison.Ordinal)).Values;
        if (series == null)
        {
            _series.Add((label, series = []));
        }
        series[day] = value;
    }

    /// <summary>The SVG, titled <paramref name="title"/>.</summary>
    public string Render(string chart, string title)
    {
        int legendRows = (_series.Count + 3) / 4;
        int height = Height + (legendRows * 20);
        var svg = ChartSvg.Open(chart, title, Width, height);
        int days = until.DayNumber - since.DayNumber;
        long max = NiceCeiling(_series.SelectMany(s => s.Values.Values).DefaultIfEmpty(0).Max());
        double plotWidth = Width - Left - Right, plotHeight = Height - Top - Bottom;
        double X(DateOnly day) => Left + (days == 0 ? plotWidth / 2 : plotWidth * (day.DayNumber - since.DayNumber) / days);
        double Y(long value) => Top + plotHeight - (plotHeight * value / max);
        Axes(svg, max, days, X, Y);
        if (_series.Count == 0)
        {
            ChartSvg.Empty(svg, Width / 2, Height / 2);
        }
        for (int i = 0; i < _series.Count; i++)
        {
            var (label, values) = _series[i];
            string colour = $"s{i % ChartSvg.Palette}";
            var points = new StringBuilder();
            for (var day = since; day <= until; day = day.AddDays(1))
            {
                points.Append(Number(X(day))).Append(',').Append(Number(Y(values.GetValueOrDefault(day)))).Append(' ');
            }
            svg.Append($"<polyline class=\"line {colour}\" data-label=\"{Escape(label)}\" points=\"{points.ToString().TrimEnd()}\"/>");
            foreach (var (day, value) in values)
            {
                svg.Append($"<circle class=\"point {colour}\" cx=\"{Number(X(day))}\" cy=\"{Number(Y(value))}\" r=\"3.5\"")
                    .Append($" data-label=\"{Escape(label)}\" data-day=\"{ReportQuery.Text(day)}\" data-value=\"{Number(value)}\">")
                    .Append($"<title>{Escape(label)}, {ReportQuery.Text(day)}: {Number(value)} {Escape(unit)}</title></circle>");
            }
        }
        for (int row = 0; row < legendRows; row++)
        {
            // Rows of four, each swatch in its line's colour.
            ChartSvg.Legend(svg, [.. _series.Skip(row * 4).Take(4).Select(s => s.Label)], Left, Height - 4 + (row * 20), row * 4);
        }
        return svg.Append("</svg>").ToString();
    }

    private void Axes(StringBuilder svg, long max, int days, Func<DateOnly, double> x, Func<long, double> y)
    {
        for (int t = 0; t <= Ticks; t++)
        {
            long value = max * t / Ticks;
            svg.Append($"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Number(y(value))}\" y2=\"{Number(y(value))}\"/>")
                .Append($"<text class=\"tick\" x=\"{Left - 6}\" y=\"{Number(y(value) + 4)}\" text-anchor=\"end\">{Number(value)}</text>");
        }
        int step = Math.Max(1, (int)Math.Ceiling(days / 6.0));
        for (var day = since; day <= until; day = day.AddDays(step))
        {
            svg.Append($"<text class=\"tick\" x=\"{Number(x(day))}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{ReportQuery.Text(day)}</text>");
        }
        svg.Append($"<text class=\"tick\" x=\"14\" y=\"{Top + 8}\">{Escape(unit)}</text>");
    }

    // The axis's top: 1, 2 or 5 times a power of ten, and a multiple of the ticks so that they fall on whole numbers.
    private static long NiceCeiling(long max)
    {
        long nice = Ticks;
        while (nice < max)
        {
            nice = nice.ToString(System.Globalization.CultureInfo.InvariantCulture)[0] switch { '1' => nice * 2, '2' => nice / 2 * 5, _ => nice * 2 };
        }
        return nice;
    }
}
