using Polaris.Agent.Native;

namespace Polaris.Agent.Bench;

/// <summary>Whether one package imports cleanly on its own: <c>python -c 'import NAME'</c> exits 0 and writes nothing to stderr.</summary>
/// <remarks>A package that warns, needs a display or hangs would make <c>many</c> measure something else than imports.</remarks>
public sealed class ImportCheck(string python, IReadOnlyDictionary<string, string> environment, string scratchDirectory)
{
    /// <summary>Longest an import may take before it counts as hanging.</summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(20);

    public bool Imports(string name)
    {
        var stderr = Path.Combine(scratchDirectory, "import-" + name + ".err");
        try
        {
            var child = SpawnedChild.Start([python, "-c", "import " + name], environment, stderr: stderr);
            var exit = child.WaitForExit(Timeout) ?? child.Kill();
            return exit == 0 && new FileInfo(stderr).Length == 0;
        }
        catch (IOException)
        {
            return false;
        }
        finally
        {
            File.Delete(stderr);
        }
    }
}
