using System.Globalization;
using System.Text.RegularExpressions;
using Polaris.Agent.Native;

namespace Polaris.Agent.Bench;

/// <summary>Runs trial imports for <see cref="PackageDiscovery"/>, each in a fresh interpreter with output discarded.</summary>
/// <remarks>A package that warns, needs a display or hangs would make <c>many</c> measure something else than imports.</remarks>
public sealed partial class ImportCheck(string python, IReadOnlyDictionary<string, string> environment, string scratchDirectory)
{
    /// <summary>Longest one trial may take before it counts as hanging.</summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(20);

    /// <summary>Whether <c>python -c 'import NAME'</c> exits 0 and writes nothing to stderr.</summary>
    public bool Imports(string name)
    {
        var (exit, stderr) = Try([name]);
        return exit == 0 && stderr.Length == 0;
    }

    /// <summary>Imports all of <paramref name="packages"/> in one interpreter; the one whose import failed, or null when the interpreter exits 0.</summary>
    /// <exception cref="IOException">It failed and its traceback does not say at which import.</exception>
    public string? FirstFailure(IReadOnlyList<string> packages)
    {
        var (exit, stderr) = Try(packages);
        if (exit == 0)
        {
            return null;
        }
        var at = ScriptLine().Matches(stderr).LastOrDefault();
        if (at == null || !int.TryParse(at.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var line) || line < 1 || line > packages.Count)
        {
            throw new IOException($"workload many: importing the packages together fails (exit {exit}) and the traceback does not say where: {stderr.Trim()}");
        }
        return packages[line - 1];
    }

    private (int Exit, string Stderr) Try(IReadOnlyList<string> packages)
    {
        var stderr = Path.Combine(scratchDirectory, $"import-{Environment.CurrentManagedThreadId}.err");
        try
        {
            var child = SpawnedChild.Start([python, "-c", Workload.ImportScript(packages)], environment, stderr: stderr);
            var exit = child.WaitForExit(Timeout) ?? child.Kill();
            return (exit, File.ReadAllText(stderr));
        }
        catch (IOException e)
        {
            return (TimingLoop.NotStarted, e.Message);
        }
        finally
        {
            File.Delete(stderr);
        }
    }

    // CPython names the -c script "<string>" in tracebacks; the last such frame is the failing import.
    [GeneratedRegex("""File "<string>", line (\d+)""")]
    private static partial Regex ScriptLine();
}
