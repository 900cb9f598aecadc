namespace Polaris.Agent.Bench;

/// <summary>Top-level modules and packages installed in an interpreter's site directories: what <c>many</c> may import.</summary>
public static class PackageCandidates
{
    /// <summary>Names never imported: they start a GUI, open a browser, print, or are the interpreter's own start-up hooks.</summary>
    public static IReadOnlySet<string> Excluded { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "antigravity", "idlelib", "pygame", "sitecustomize", "this", "tkinter", "turtle", "turtledemo", "usercustomize",
    };

    /// <summary>Candidate names found in <paramref name="siteDirectories"/>, sorted, each once.</summary>
    /// <param name="siteDirectories">The interpreter's site/dist-packages folders; missing ones are skipped.</param>
    /// <param name="standardLibrary">Names of the standard library's modules, never candidates even when a site folder shadows one.</param>
    public static IReadOnlyList<string> In(IEnumerable<string> siteDirectories, IReadOnlySet<string> standardLibrary)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var directory in siteDirectories.Where(Directory.Exists))
        {
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
            {
                var name = ModuleName(entry.Name, entry is DirectoryInfo);
                // A folder without __init__.py is a namespace package or data, which imports nothing worth timing.
                if (name != null && (entry is FileInfo || File.Exists(Path.Combine(entry.FullName, "__init__.py"))) && IsCandidate(name, standardLibrary))
                {
                    names.Add(name);
                }
            }
        }
        return [.. names];
    }

    /// <summary>The module a site-folder entry provides (<c>six.py</c>, <c>numpy/</c>, <c>apt_pkg.cpython-311-x86_64-linux-gnu.so</c>), or null.</summary>
    public static string? ModuleName(string entry, bool isDirectory)
    {
        string name;
        if (isDirectory)
        {
            name = entry;
        }
        else if (entry.EndsWith(".py", StringComparison.Ordinal))
        {
            name = entry[..^3];
        }
        else if (entry.EndsWith(".so", StringComparison.Ordinal))
        {
            // Extension modules carry their ABI tag after the first dot: name.cpython-311-x86_64-linux-gnu.so, name.abi3.so.
            name = entry[..entry.IndexOf('.', StringComparison.Ordinal)];
        }
        else
        {
            return null;
        }
        return IsIdentifier(name) ? name : null;
    }

    /// <summary>Whether a module name may be imported by <c>many</c>: not private, not a test suite, not excluded, not standard library.</summary>
    public static bool IsCandidate(string name, IReadOnlySet<string> standardLibrary) =>
        IsIdentifier(name)
        && !name.StartsWith('_')
        && name is not ("test" or "tests")
        && !Excluded.Contains(name)
        && !standardLibrary.Contains(name);

    // Folders such as `foo-1.0.dist-info` and `__pycache__` fall out here or at the underscore test.
    private static bool IsIdentifier(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
