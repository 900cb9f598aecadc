using Polaris.Agent.Native;

namespace Polaris.Agent.Bench;

/// <summary>What bench needs to know of the Python it measures, asked of the interpreter itself.</summary>
/// <param name="Path">The interpreter as given.</param>
/// <param name="Version">Its version, e.g. <c>3.11.2</c>.</param>
/// <param name="SiteDirectories">Its site/dist-packages folders (and the user's site folder when enabled).</param>
/// <param name="StandardLibrary">Names of its standard library's top-level modules (empty before Python 3.10).</param>
public sealed record Interpreter(string Path, string Version, IReadOnlyList<string> SiteDirectories, IReadOnlySet<string> StandardLibrary)
{
    // One line each: version, then site folders and standard-library names separated by NUL.
    private const string Script = """
        import site, sys
        dirs = list(site.getsitepackages()) + ([site.getusersitepackages()] if site.ENABLE_USER_SITE else [])
        print("%d.%d.%d" % sys.version_info[:3])
        print("\0".join(dirs))
        print("\0".join(sorted(getattr(sys, "stdlib_module_names", ()))))
        """;

    /// <summary>Runs <paramref name="python"/> once in <paramref name="environment"/> to learn its facts.</summary>
    /// <exception cref="IOException">It cannot be run or does not answer as a CPython does.</exception>
    public static Interpreter Ask(string python, IReadOnlyDictionary<string, string> environment, string scratchDirectory)
    {
        var stdout = System.IO.Path.Combine(scratchDirectory, "interpreter.out");
        var stderr = System.IO.Path.Combine(scratchDirectory, "interpreter.err");
        var child = SpawnedChild.Start([python, "-c", Script], environment, stdout: stdout, stderr: stderr);
        var exit = child.WaitForExit(ImportCheck.Timeout) ?? child.Kill();
        var lines = File.ReadAllText(stdout).Split('\n');
        if (exit != 0 || lines.Length < 3)
        {
            throw new IOException($"{python} did not describe itself (exit {exit}): {File.ReadAllText(stderr).Trim()}");
        }
        return new Interpreter(python, lines[0], Split(lines[1]), new HashSet<string>(Split(lines[2]), StringComparer.Ordinal));
    }

    private static string[] Split(string line) => line.Split('\0', StringSplitOptions.RemoveEmptyEntries);
}
