using System.Text.Json;

namespace Polaris.Collector.Reports;

/// <summary>Reads a report's JSON (<see cref="ReportWriter.Json"/>) back into a <see cref="ReportTable"/>: how
/// <c>report --collector URL</c> prints what a running collector answered, in any format.</summary>
public static class ReportJson
{
    /// <exception cref="JsonException">The text is not a report's JSON.</exception>
    public static ReportTable Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var columns = root.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? "").ToArray();
        var table = new ReportTable(root.GetProperty("title").GetString() ?? "", columns);
        foreach (var row in root.GetProperty("rows").EnumerateArray())
        {
            table.Add([.. columns.Select(c => Cell(row.GetProperty(c)))]);
        }
        table.Notes.AddRange(root.GetProperty("notes").EnumerateArray().Select(n => n.GetString() ?? ""));
        return table;
    }

    private static object Cell(JsonElement value) => value.ValueKind switch
    {
        // The writer gives a fraction its point (1.0): a number without one is a count.
        JsonValueKind.Number when value.GetRawText().AsSpan().IndexOfAny(".eE") < 0 && value.TryGetInt64(out long n) => n,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => value.GetString()!,
        _ => throw new JsonException($"a report cell is a number or a string, not {value.ValueKind}"),
    };
}
