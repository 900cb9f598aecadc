using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A script run by bash or tcsh in an environment of its own: PATH, HOME and the variables given, nothing of
/// the machine's module state (MODULEPATH, LOADEDMODULES, BASH_ENV), as a fresh login has.</summary>
internal static class ModuleShell
{
    public static readonly string[] Shells = ["bash", "tcsh"];

    /// <summary>Runs <paramref name="lines"/> in <paramref name="shell"/>; a variable whose value is null is left unset.</summary>
    public static CommandResult Run(string shell, IEnumerable<string> lines, string home, IReadOnlyDictionary<string, string?> variables)
    {
        var script = Path.Combine(home, "script." + shell);
        File.WriteAllText(script, string.Join('\n', lines) + "\n");
        string[] invocation = shell switch
        {
            "bash" => ["/bin/bash", "--noprofile", "--norc", script],
            "tcsh" => ["/usr/bin/tcsh", "-f", script],
            _ => throw new ArgumentException("no shell " + shell, nameof(shell)),
        };
        string[] environment = ["PATH=/usr/bin:/bin", "HOME=" + home, .. variables.Where(v => v.Value != null).Select(v => $"{v.Key}={v.Value}")];
        return CommandResult.Run("/usr/bin/env", ["-i", .. environment, .. invocation]);
    }

    /// <summary>The line that reads <paramref name="file"/> into the running shell.</summary>
    public static string Source(string shell, string file) => (shell == "bash" ? ". " : "source ") + Quote(file);

    /// <summary>Lines that print <c>LABEL [VALUE]</c> of PYTHONPATH, or <c>LABEL unset</c>.</summary>
    public static string PrintPythonPath(string shell, string label) => shell == "bash"
        ? $"if [ \"${{PYTHONPATH+x}}\" ]; then echo \"{label} [$PYTHONPATH]\"; else echo '{label} unset'; fi"
        : $"if ( $?PYTHONPATH ) then\necho \"{label} [$PYTHONPATH]\"\nelse\necho '{label} unset'\nendif";

    /// <summary>What <see cref="PrintPythonPath"/> prints for <paramref name="value"/> (null: unset).</summary>
    public static string PythonPathLine(string label, string? value) => value == null ? $"{label} unset" : $"{label} [{value}]";

    /// <summary>Debian's Python, printing its pid: the process whose record to look for.</summary>
    public const string PythonPrintingItsPid = "/usr/bin/python3 -c 'import json, os; print(os.getpid())'";

    // Single quotes: neither shell expands anything inside (the paths here hold no quote).
    private static string Quote(string value) => "'" + value + "'";
}
