using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>Every CPython on this machine that the hook claims (3.8 and later): Debian's, always, and each of pyenv's.</summary>
internal static class Interpreters
{
    /// <summary>Where pyenv keeps its versions (<c>PYENV_ROOT</c>, else root's).</summary>
    private static string PyenvVersions => Path.Combine(Environment.GetEnvironmentVariable("PYENV_ROOT") is { Length: > 0 } root ? root : "/root/.pyenv", "versions");

    /// <summary><c>/usr/bin/python3</c>, then <c>versions/3.X*/bin/python3</c> for every X of 8 or more that pyenv has.
    /// None is skipped: a pyenv version without its interpreter is listed and fails the test that uses it.</summary>
    public static IReadOnlyList<string> All()
    {
        var found = new List<string> { RepoPaths.Python };
        if (Directory.Exists(PyenvVersions))
        {
            foreach (var version in Directory.GetDirectories(PyenvVersions, "3.*").Order(StringComparer.Ordinal))
            {
                var parts = Path.GetFileName(version).Split('.');
                if (parts.Length >= 2 && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var minor) && minor >= 8)
                {
                    found.Add(Path.Combine(version, "bin", "python3"));
                }
            }
        }
        return found;
    }
}
