using System.Globalization;
using System.Text;
using System.Text.Json;
using Polaris.Collector.Cli;

namespace Polaris.Collector.Reports;

/// <summary>Prints a <see cref="ReportTable"/>: aligned for a terminal, as CSV, or as JSON (the API's answer).</summary>
public static class ReportWriter
{
    /// <summary>The formats, as <c>--format</c> names them.</summary>
    public static readonly IReadOnlyList<string> Formats = ["table", "json", "csv"];

    public static void Write(TextWriter output, ReportTable table, string format)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(table);
        switch (format)
        {
            case "table":
                WriteText(output, table);
                break;
            case "csv":
                WriteCsv(output, table);
                break;
            case "json":
                output.WriteLine(Encoding.UTF8.GetString(Json(table)));
                break;
            default:
                throw new ArgumentException($"format '{format}' is none of {string.Join(", ", Formats)}");
        }
    }

    /// <summary>The title, then columns padded to their widest cell: text to the left, numbers to the right. Text from
    /// the records (names, domains, versions, the query's own values in the title) goes through
    /// <see cref="TerminalText.Safe"/>: a name cannot send the terminal an escape sequence.</summary>
    public static void WriteText(TextWriter output, ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(table);
        var cells = table.Rows.Select(r => r.Select(c => TerminalText.Safe(Cell(c))).ToArray()).ToList();
        var widths = table.Columns.Select((c, i) => cells.Select(r => r[i].Length).Append(c.Length).Max()).ToArray();
        // A column of numbers (an empty cell allowed: a figure that does not apply) is aligned to the right.
        var numeric = table.Columns.Select((_, i) => table.Rows.Count > 0 && table.Rows.All(r => r[i] is not string text || text.Length == 0)).ToArray();
        output.WriteLine(TerminalText.Safe(table.Title));
        foreach (var line in cells.Prepend([.. table.Columns]))
        {
            var text = new StringBuilder();
            for (int i = 0; i < line.Length; i++)
            {
                text.Append(i == 0 ? "" : "  ").Append(numeric[i] ? line[i].PadLeft(widths[i]) : line[i].PadRight(widths[i]));
            }
            output.WriteLine(text.ToString().TrimEnd());
        }
        if (table.Rows.Count == 0)
        {
            output.WriteLine("(no rows)");
        }
        foreach (var note in table.Notes)
        {
            output.WriteLine(TerminalText.Safe(note));
        }
    }

    /// <summary>RFC 4180: a header of the column names, a field quoted when it holds a comma, a quote or a line break.
    /// A text cell a spreadsheet would take for a formula (<see cref="CsvText.Field"/>) is written as text; numbers stay
    /// numbers, negative ones included.</summary>
    public static void WriteCsv(TextWriter output, ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(table);
        output.Write(string.Join(",", table.Columns.Select(CsvText.Field)) + "\r\n");
        foreach (var row in table.Rows)
        {
            output.Write(string.Join(",", row.Select(c => c is string text ? CsvText.Field(text) : Raw(c))) + "\r\n");
        }
    }

    /// <summary><c>{"title": ..., "columns": [...], "rows": [{column: value, ...}], "notes": [...]}</c>.</summary>
    public static byte[] Json(ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("title", table.Title);
            json.WriteStartArray("columns");
            foreach (var column in table.Columns)
            {
                json.WriteStringValue(column);
            }
            json.WriteEndArray();
            json.WriteStartArray("rows");
            foreach (var row in table.Rows)
            {
                json.WriteStartObject();
                for (int i = 0; i < row.Length; i++)
                {
                    json.WritePropertyName(table.Columns[i]);
                    switch (row[i])
                    {
                        case long n: json.WriteNumberValue(n); break;
                        // Always with a point, so that a reader tells a share of 1.0 from a count of 1.
                        case double d: json.WriteRawValue(d.ToString("0.0###", CultureInfo.InvariantCulture)); break;
                        default: json.WriteStringValue((string)row[i]); break;
                    }
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("notes");
            foreach (var note in table.Notes)
            {
                json.WriteStringValue(note);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static string Cell(object value) => value switch
    {
        long n => n.ToString("N0", CultureInfo.InvariantCulture),
        double d => d.ToString("0.0###", CultureInfo.InvariantCulture),
        _ => (string)value,
    };

    // Numbers as programs read them: no thousands separators.
    private static string Raw(object value) => value switch
    {
        long n => n.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => (string)value,
    };
}
