namespace Polaris.Collector.Reports;

/// <summary>One line of a base environment's package list (<see cref="BasePackageList"/>): a package's name and
/// version (<c>""</c> when the line gives none), or an empty name for a line that is no package it can read.</summary>
/// <param name="Name">The package's name as written; empty for a line refused.</param>
/// <param name="Version">Its version; empty when not given.</param>
internal sealed record BasePackageLine(string Name, string Version)
{
    private const int MaxNameLength = 200;
    private const int MaxVersionLength = 100;

    private static readonly BasePackageLine Refused = new("", "");

    /// <summary>The package of <paramref name="line"/>; null for a line that holds none and is not wrong (blank,
    /// a comment, a YAML key, a YAML list outside <c>dependencies</c>).</summary>
    /// <param name="line">The line, without its newline.</param>
    /// <param name="section">The YAML key the lines are under (<c>dependencies</c>, <c>channels</c>), null before any:
    /// read and set as the lines go.</param>
    public static BasePackageLine? Read(string line, ref string? section)
    {
        ArgumentNullException.ThrowIfNull(line);
        int comment = line.IndexOf('#', StringComparison.Ordinal);
        var text = (comment >= 0 ? line[..comment] : line).TrimEnd();
        var trimmed = text.TrimStart();
        if (trimmed.Length == 0)
        {
            return null;
        }
        // A YAML key at the margin (name:, channels:, dependencies:, prefix: /opt/conda) opens a section.
        if (trimmed.Length == text.Length && !trimmed.StartsWith('-') && YamlKey(trimmed) is { } key)
        {
            section = key;
            return null;
        }
        if (trimmed.StartsWith("- ", StringComparison.Ordinal))
        {
            trimmed = trimmed[2..].Trim();
            if (section != null && section != "dependencies" || trimmed.EndsWith(':'))
            {
                return null; // a channel, or the "- pip:" that opens pip's own list
            }
        }
        else if (section != null)
        {
            return null; // a YAML value under another key
        }
        return trimmed.StartsWith('-') ? Refused : Package(trimmed);
    }

    private static string? YamlKey(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && (colon == text.Length - 1 || text[colon + 1] == ' ') && text[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? text[..colon]
            : null;
    }

    private static BasePackageLine Package(string text)
    {
        int channel = text.LastIndexOf("::", StringComparison.Ordinal);
        text = channel >= 0 ? text[(channel + 2)..] : text; // conda-forge::numpy=1.26.4
        string name, version;
        if (text.IndexOf(" @ ", StringComparison.Ordinal) is int at and > 0)
        {
            (name, version) = (text[..at], ""); // pip's name @ file:///... names no version
        }
        else if (text.IndexOf("==", StringComparison.Ordinal) is int pinned and > 0)
        {
            (name, version) = (text[..pinned], text[(pinned + 2)..].TrimStart('=').Split(';', ' ', '\t')[0]);
        }
        else if (text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) is { Length: >= 2 } columns && !columns[0].Contains('=', StringComparison.Ordinal))
        {
            (name, version) = (columns[0], columns[1]); // conda list: name version build channel
        }
        else
        {
            var parts = text.Split('='); // conda list --export and conda env export: name=version=build
            (name, version) = (parts[0], parts.Length > 1 ? parts[1] : "");
        }
        name = name.Trim();
        version = version.Trim();
        if (name.Length is 0 or > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            return Refused;
        }
        bool plainVersion = version.Length <= MaxVersionLength && version.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '-' or '_' or '!' or '*');
        return new BasePackageLine(name, plainVersion ? version : "");
    }
}
