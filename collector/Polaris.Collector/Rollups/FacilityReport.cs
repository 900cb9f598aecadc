using System.Globalization;
using System.Text;
using System.Text.Json;
using Polaris.Collector.Cli;

namespace Polaris.Collector.Rollups;

/// <summary>What <c>merge-rollups</c> prints: a table for people, or JSON for programs.</summary>
public static class FacilityReport
{
    /// <summary>How all Python (library <c>""</c>) is named in the table.</summary>
    public const string AllPython = "(all Python)";

    private static readonly string[] Measures = ["users", "jobs", "processes"];

    /// <summary>A line saying what was read, then one row per library: <c>users-1d users-7d ... processes-30d</c>.</summary>
    public static void WriteTable(TextWriter output, FacilityRollups facility, int collectors)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(facility);
        var rows = facility.Rows();
        var header = new List<string> { "library" };
        header.AddRange(Measures.SelectMany(m => facility.Windows.Select(w => Invariant($"{m}-{w}d"))));
        var cells = rows.Select(r => new List<string>(
            [r.Library.Length == 0 ? AllPython : TerminalText.Safe(r.Library),
            .. r.Users.Select(Number), .. r.Jobs.Select(Number), .. r.Processes.Select(Number)])).ToList();
        var widths = header.Select((h, i) => cells.Select(c => c[i].Length).Append(h.Length).Max()).ToArray();
        output.WriteLine(Invariant($"UTC days {RollupRange.Text(facility.Since)} to {RollupRange.Text(facility.Until)}, {collectors} collector{(collectors == 1 ? "" : "s")}: users and jobs distinct across them, processes summed"));
        foreach (var line in cells.Prepend(header))
        {
            var text = new StringBuilder(line[0].PadRight(widths[0]));
            for (int i = 1; i < line.Count; i++)
            {
                text.Append("  ").Append(line[i].PadLeft(widths[i]));
            }
            output.WriteLine(text.ToString());
        }
    }

    /// <summary>One JSON object: <c>since</c>, <c>until</c>, <c>collectors</c>, <c>windows</c> and per library its
    /// <c>users</c>, <c>jobs</c> and <c>processes</c> by window (<c>{"1d": 2, ...}</c>).</summary>
    public static void WriteJson(TextWriter output, FacilityRollups facility, IReadOnlyList<Uri> collectors)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(facility);
        ArgumentNullException.ThrowIfNull(collectors);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("since", RollupRange.Text(facility.Since));
            json.WriteString("until", RollupRange.Text(facility.Until));
            json.WriteStartArray("collectors");
            foreach (var collector in collectors)
            {
                json.WriteStringValue(collector.ToString());
            }
            json.WriteEndArray();
            json.WriteStartArray("windows");
            foreach (var w in facility.Windows)
            {
                json.WriteStringValue(Invariant($"{w}d"));
            }
            json.WriteEndArray();
            json.WriteStartArray("libraries");
            foreach (var row in facility.Rows())
            {
                json.WriteStartObject();
                json.WriteString("library", row.Library);
                WriteWindows(json, "users", facility.Windows, row.Users.Select(u => (long)u).ToArray());
                WriteWindows(json, "jobs", facility.Windows, row.Jobs.Select(j => (long)j).ToArray());
                WriteWindows(json, "processes", facility.Windows, row.Processes);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteWindows(Utf8JsonWriter json, string name, IReadOnlyList<int> windows, IReadOnlyList<long> values)
    {
        json.WriteStartObject(name);
        for (int i = 0; i < windows.Count; i++)
        {
            json.WriteNumber(Invariant($"{windows[i]}d"), values[i]);
        }
        json.WriteEndObject();
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
