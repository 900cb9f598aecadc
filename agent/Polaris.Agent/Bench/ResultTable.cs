using System.Globalization;
using System.Text;

namespace Polaris.Agent.Bench;

/// <summary>Formats result rows as a fixed-width text table, ready to paste into a README.</summary>
public static class ResultTable
{
    private static readonly string[] Headings = ["workload", "config", "runs", "failed", "median ms", "min ms", "max ms", "added ms", "added %"];

    public static string Format(IReadOnlyList<ResultRow> rows)
    {
        var cells = rows.Select(Cells).Prepend(Headings).ToArray();
        var widths = Enumerable.Range(0, Headings.Length).Select(c => cells.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var line in cells)
        {
            var padded = line.Select((cell, c) => c == line.Length - 1 ? cell : cell.PadRight(widths[c] + 2));
            text.Append(string.Concat(padded).TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    private static string[] Cells(ResultRow row)
    {
        var s = row.Statistics;
        return
        [
            row.Workload,
            row.Configuration,
            s.Runs.ToString(CultureInfo.InvariantCulture),
            s.Failures.ToString(CultureInfo.InvariantCulture),
            Number(s.Median),
            Number(s.Min),
            Number(s.Max),
            Signed(row.AddedMilliseconds, ""),
            Signed(row.AddedPercent, "%"),
        ];
    }

    private static string Number(double? value) =>
        value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "-";

    private static string Signed(double? value, string unit) =>
        value is { } v ? v.ToString("+0.0;-0.0;+0.0", CultureInfo.InvariantCulture) + unit : "-";
}
