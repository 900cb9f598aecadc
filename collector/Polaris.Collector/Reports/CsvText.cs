namespace Polaris.Collector.Reports;

/// <summary>A text cell of a report's CSV, which people open in spreadsheets: a cell that starts with <c>=</c>,
/// <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return is a formula to Excel and LibreOffice (CSV injection,
/// OWASP), and a library name or a domain is whatever a node or a request sent.</summary>
public static class CsvText
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    /// <summary>The cell as an RFC 4180 field: a formula's start prefixed with <c>'</c> (which spreadsheets show as
    /// text and do not display), then quoted, quotes doubled, when it holds a comma, a quote or a line break, or was
    /// prefixed.</summary>
    public static string Field(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        bool formula = text.Length > 0 && FormulaStarts.Contains(text[0]);
        var value = formula ? "'" + text : text;
        return formula || value.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }
}
