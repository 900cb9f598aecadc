namespace Polaris.Agent.Serve.Enrich;

/// <summary>One package as <c>conda-meta/history</c> names it: <c>conda-forge/linux-64::numpy-1.26.4-py311h64a7726_0</c>.</summary>
/// <param name="Channel">The channel's name (<see cref="CondaChannel.Name"/>); empty when the line names none.</param>
/// <param name="Name">Package name; it may hold dashes itself.</param>
/// <param name="Version">Version.</param>
/// <param name="Build">Build string.</param>
public sealed record CondaDist(string Channel, string Name, string Version, string Build)
{
    /// <summary>Reads a dist string, with or without <c>channel/subdir::</c> (older conda wrote none); null when it does
    /// not end in <c>name-version-build</c>.</summary>
    public static CondaDist? Parse(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        var channel = "";
        int colons = text.IndexOf("::", StringComparison.Ordinal);
        if (colons >= 0)
        {
            channel = CondaChannel.Name(text[..colons].ToString());
            text = text[(colons + 2)..];
        }
        // Versions and builds hold no dash; names may (python-dateutil): split from the right.
        int buildDash = text.LastIndexOf('-');
        if (buildDash <= 0)
        {
            return null;
        }
        int versionDash = text[..buildDash].LastIndexOf('-');
        if (versionDash <= 0 || buildDash == text.Length - 1 || versionDash == buildDash - 1)
        {
            return null;
        }
        return new CondaDist(channel, text[..versionDash].ToString(), text[(versionDash + 1)..buildDash].ToString(), text[(buildDash + 1)..].ToString());
    }
}
