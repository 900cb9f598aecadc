using Polaris.Agent.Cli;
using Polaris.Agent.Run;

namespace Polaris.Agent.Install;

/// <summary><c>polaris-agent env [--drop DIR] [--shell sh|csh]</c>: prints the lines a modulefile or job script
/// needs to enable the hook for every Python it starts, as <c>run</c> would.</summary>
public static class EnvCommand
{
    private static readonly HashSet<string> Options = ["drop", "shell"];

    public static int Execute(IReadOnlyList<string> args, TextWriter output)
    {
        var options = new OptionReader(args, Options);
        if (options.Operands.Count > 0)
        {
            throw new UsageException($"env takes no operands: '{options.Operands[0]}'");
        }
        var hook = HookFiles.Directory();
        var drop = options.Get("drop") is { } d ? Path.GetFullPath(d) : null;
        switch (options.Get("shell") ?? "sh")
        {
            case "sh":
                output.WriteLine($"export PYTHONPATH={Quote(hook)}\"${{PYTHONPATH:+:$PYTHONPATH}}\"");
                if (drop != null)
                {
                    output.WriteLine($"export {RunCommand.DropVariable}={Quote(drop)}");
                }
                break;
            case "csh":
                output.WriteLine($"if ($?PYTHONPATH) then\n  setenv PYTHONPATH {Quote(hook)}:\"$PYTHONPATH\"\nelse\n  setenv PYTHONPATH {Quote(hook)}\nendif");
                if (drop != null)
                {
                    output.WriteLine($"setenv {RunCommand.DropVariable} {Quote(drop)}");
                }
                break;
            default:
                throw new UsageException("--shell must be sh or csh");
        }
        return 0;
    }

    // Single quotes: nothing inside is expanded by sh or csh; a quote itself is closed, escaped and reopened.
    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
