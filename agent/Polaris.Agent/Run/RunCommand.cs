using System.Collections;
using System.Runtime.InteropServices;
using Polaris.Agent.Cli;
using Polaris.Agent.Native;

namespace Polaris.Agent.Run;

/// <summary><c>polaris-agent run [--drop DIR] -- CMD [ARGS...]</c>: enables the hook, then becomes CMD.</summary>
/// <remarks>
/// The agent replaces itself with CMD through <c>execvpe</c>: no process of ours stays behind, signals
/// reach CMD directly, and CMD's exit status is the job's.
/// </remarks>
public static class RunCommand
{
    /// <summary>Environment variable naming the drop folder the hook writes its record file into.</summary>
    public const string DropVariable = "POLARIS_AGENT_DROP";

    private static readonly HashSet<string> Options = ["drop"];

    public static int Execute(IReadOnlyList<string> args)
    {
        var options = new OptionReader(args, Options);
        if (options.Operands.Count == 0)
        {
            throw new UsageException("run needs a command: polaris-agent run [--drop DIR] -- CMD [ARGS...]");
        }
        var environment = HookEnvironment(CurrentEnvironment(), HookFiles.Directory(), options.Get("drop"));
        return Exec(options.Operands, environment);
    }

    /// <summary>The environment CMD gets: the hook's folder first on PYTHONPATH, and the drop folder if one was named.</summary>
    public static SortedDictionary<string, string> HookEnvironment(IDictionary<string, string> current, string hookDirectory, string? drop)
    {
        var environment = new SortedDictionary<string, string>(current, StringComparer.Ordinal);
        var pythonPath = current.TryGetValue("PYTHONPATH", out var existing) && existing.Length > 0
            ? hookDirectory + ":" + existing
            : hookDirectory;
        environment["PYTHONPATH"] = pythonPath;
        if (drop != null)
        {
            environment[DropVariable] = Path.GetFullPath(drop);
        }
        return environment;
    }

    private static Dictionary<string, string> CurrentEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = (string?)entry.Value ?? "";
        }
        return result;
    }

    private static unsafe int Exec(IReadOnlyList<string> command, SortedDictionary<string, string> environment)
    {
        using var argv = new NativeStrings(command);
        using var envp = new NativeStrings(environment.Select(e => e.Key + "=" + e.Value).ToArray());
        byte* file = NativeStrings.Utf8(command[0]);
        Libc.execvpe(file, argv.Pointer, envp.Pointer);
        // Only reached when exec failed; exit like a shell does: 127 not found, 126 found but not runnable.
        int errno = Marshal.GetLastPInvokeError();
        NativeMemory.Free(file);
        const int ENOENT = 2;
        Console.Error.WriteLine($"polaris-agent: cannot run {command[0]}: {Marshal.GetPInvokeErrorMessage(errno)}");
        return errno == ENOENT ? 127 : 126;
    }
}
