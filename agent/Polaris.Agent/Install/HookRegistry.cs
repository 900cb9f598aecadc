namespace Polaris.Agent.Install;

/// <summary>The environments <c>install-hook</c> put the hook into, one prefix a line, so that an upgrade of the
/// package (<c>install-hook --refresh</c>, run by the RPM's %posttrans) updates the hook wherever it went.</summary>
/// <remarks>Only root may write the default file (<c>/var/lib/polaris-agent</c> is root's, 0755): the refresh runs as root,
/// so a line some user could add would make root write into, and run the Python of, a folder of that user's choosing.</remarks>
public sealed class HookRegistry(string path)
{
    /// <summary>The registry the package's scriptlets read.</summary>
    public const string DefaultPath = "/var/lib/polaris-agent/hook-prefixes";

    /// <summary>The file this registry lives in.</summary>
    public string Path { get; } = path;

    /// <summary>The prefixes listed, in order; none when the file does not exist.</summary>
    public IReadOnlyList<string> Prefixes()
    {
        try
        {
            return File.ReadAllLines(Path).Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] == '/').Distinct(StringComparer.Ordinal).ToArray();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
    }

    /// <summary>Adds or removes <paramref name="prefix"/>; true when the file changed. Throws what writing throws.</summary>
    public bool Set(string prefix, bool listed)
    {
        var prefixes = Prefixes().ToList();
        if (prefixes.Contains(prefix, StringComparer.Ordinal) == listed)
        {
            return false;
        }
        if (listed)
        {
            prefixes.Add(prefix);
        }
        else
        {
            prefixes.Remove(prefix);
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var text = string.Concat(prefixes.Select(p => p + "\n"));
        AtomicFile.Write(Path, System.Text.Encoding.UTF8.GetBytes(text),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return true;
    }
}
