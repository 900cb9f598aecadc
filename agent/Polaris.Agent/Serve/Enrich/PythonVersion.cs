namespace Polaris.Agent.Serve.Enrich;

/// <summary>Reads the interpreter version the hook reports.</summary>
public static class PythonVersion
{
    /// <summary><c>3.11</c> for <c>3.11.2</c>: the part that names <c>lib/pythonX.Y</c>; empty when the version is not <c>X.Y...</c>.</summary>
    public static string MajorMinor(string version)
    {
        int first = version.IndexOf('.', StringComparison.Ordinal);
        if (first <= 0)
        {
            return "";
        }
        int end = first + 1;
        while (end < version.Length && char.IsAsciiDigit(version[end]))
        {
            end++;
        }
        return end > first + 1 && IsDigits(version.AsSpan(0, first)) ? version[..end] : "";
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}
