using System.Text;

namespace Polaris.Collector.Scheduler;

/// <summary>Splits one line of the domain table into its two fields, as CSV has them: separated by commas, a field
/// in double quotes may hold commas, and <c>""</c> in it is one quote. Fields are trimmed.</summary>
/// <remarks>A quoted field does not run on to the next line: a project or domain holds no newline.</remarks>
internal static class DomainCsvLine
{
    /// <returns>Null when the line has the two fields; else why not.</returns>
    public static string? Split(string line, out string project, out string domain)
    {
        project = domain = "";
        int fields = 0, at = 0;
        while (true)
        {
            string? fault = Field(line, ref at, out var field);
            if (fault != null)
            {
                return fault;
            }
            switch (++fields)
            {
                case 1:
                    project = field;
                    break;
                case 2:
                    domain = field;
                    break;
                default:
                    return "more than two fields (project,domain)";
            }
            if (at >= line.Length)
            {
                return fields == 2 ? null : "one field where two are needed (project,domain)";
            }
            at++;
        }
    }

    // Reads the field at `at`, leaving `at` on the comma after it or at the end of the line.
    private static string? Field(string line, ref int at, out string field)
    {
        while (at < line.Length && line[at] is ' ' or '\t')
        {
            at++;
        }
        if (at >= line.Length || line[at] != '"')
        {
            int comma = line.IndexOf(',', at);
            int end = comma < 0 ? line.Length : comma;
            field = line[at..end].Trim();
            at = end;
            return null;
        }
        return Quoted(line, ref at, out field);
    }

    private static string? Quoted(string line, ref int at, out string field)
    {
        var text = new StringBuilder();
        field = "";
        for (at++; ; at++)
        {
            if (at >= line.Length)
            {
                return "a quoted field does not end before the line does";
            }
            if (line[at] != '"')
            {
                text.Append(line[at]);
            }
            else if (at + 1 < line.Length && line[at + 1] == '"')
            {
                text.Append('"');
                at++;
            }
            else
            {
                break;
            }
        }
        at++;
        while (at < line.Length && line[at] is ' ' or '\t')
        {
            at++;
        }
        if (at < line.Length && line[at] != ',')
        {
            return "text after a quoted field's closing quote";
        }
        field = text.ToString().Trim();
        return null;
    }
}
