using System.Diagnostics;

namespace Polaris.Testing;

/// <summary>The native-AOT <c>polaris-agent</c>, published on demand when missing or older than its sources.</summary>
/// <remarks>The test command publishes it first; this keeps a plain <c>dotnet test</c> honest after a source change.</remarks>
public static class AgentBinary
{
    private static readonly Lazy<string> Published = new(EnsurePublished);

    /// <summary>Folder the agent is published to.</summary>
    public static string Directory => Path.Combine(RepoPaths.Root, "artifacts", "agent");

    /// <summary>Path of the published binary, publishing it first if needed.</summary>
    public static string FilePath => Published.Value;

    private static string EnsurePublished()
    {
        var binary = Path.Combine(Directory, "polaris-agent");
        System.IO.Directory.CreateDirectory(Directory);
        // Test assemblies run in parallel processes: one publishes, the others wait on the lock.
        using var gate = FileLock.Acquire(Path.Combine(RepoPaths.Root, "artifacts", ".agent-publish.lock"));
        if (File.Exists(binary) && File.GetLastWriteTimeUtc(binary) >= NewestSource())
        {
            return binary;
        }
        var publish = Process.Start(new ProcessStartInfo("dotnet",
            ["publish", Path.Combine(RepoPaths.Root, "agent", "Polaris.Agent"), "-c", "Release", "-r", "linux-x64",
             "-p:PublishAot=true", "-o", Directory, "--nologo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEnd();
        publish.WaitForExit();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"publishing polaris-agent failed:\n{output.Result}\n{errors}");
        }
        return binary;
    }

    private static DateTime NewestSource()
    {
        var roots = new[] { "agent/Polaris.Agent", "agent/Polaris.Wire" }.Select(r => Path.Combine(RepoPaths.Root, r));
        return roots
            .SelectMany(r => System.IO.Directory.EnumerateFiles(r, "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Select(File.GetLastWriteTimeUtc)
            .Append(File.GetLastWriteTimeUtc(Path.Combine(RepoPaths.Root, "Directory.Build.props")))
            .Max();
    }
}
