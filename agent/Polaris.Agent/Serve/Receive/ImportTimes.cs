using System.Globalization;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Reads the hook's import times: <c>repr()</c> of a Python list of integers, e.g. <c>[0, 0, 0, 812, 9021, 1403]</c>.</summary>
internal static class ImportTimes
{
    public static long[] Parse(string text)
    {
        var span = text.AsSpan().Trim();
        if (span.Length < 2 || span[0] != '[' || span[^1] != ']')
        {
            throw new FormatException("import times are not a list");
        }
        span = span[1..^1];
        if (span.IsWhiteSpace())
        {
            return [];
        }
        var values = new List<long>(span.Length / 6);
        foreach (var range in span.Split(','))
        {
            values.Add(long.TryParse(span[range].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new FormatException("an import time is not a number"));
        }
        return [.. values];
    }
}
