using Polaris.Agent.Cli;
using Polaris.Agent.Run;

namespace Polaris.Agent.Install;

/// <summary><c>polaris-agent env [--drop DIR] [--shell sh|csh]</c>: prints the lines a modulefile or job script
/// needs to enable the hook for every Python it starts, as <c>run</c> would.</summary>
public static class EnvCommand
{
    private static readonly HashSet<string> Options = ["drop", "shell"];

    public static int Execute(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var options = new OptionReader(args, Options);
        if (options.Operands.Count > 0)
        {
            throw new UsageException($"env takes no operands: '{options.Operands[0]}'");
        }
        var drop = options.Get("drop") is { } d ? Path.GetFullPath(d) : null;
        var shell = options.Get("shell") ?? "sh";
        if (shell is not ("sh" or "csh"))
        {
            throw new UsageException("--shell must be sh or csh");
        }
        // env's lines are evaluated later, maybe on other nodes (a modulefile, a job script's batch nodes): the private
        // copy run makes under $XDG_RUNTIME_DIR or /tmp would be missing there, or gone at the next reboot, and every
        // Python would silently run without the hook. Only the installed folder is a path worth printing.
        if (HookFiles.Installed() is not { } hook)
        {
            error.WriteLine($"polaris-agent: env needs the hook installed beside this binary ({Path.Combine(AppContext.BaseDirectory, "hook", "sitecustomize.py")}), on a path every node has; install the agent's package, or start Python through 'polaris-agent run'");
            return 1;
        }
        switch (shell)
        {
            case "sh":
                output.WriteLine($"export PYTHONPATH={Quote(hook)}\"${{PYTHONPATH:+:$PYTHONPATH}}\"");
                if (drop != null)
                {
                    output.WriteLine($"export {RunCommand.DropVariable}={Quote(drop)}");
                }
                break;
            case "csh":
                // One line of commands: csh and tcsh run `eval \`polaris-agent env --shell csh\`` with the newlines
                // turned into spaces, where an if-then-else-endif block is "if: Improper then.". A one-line if substitutes
                // the whole line first, so $PYTHONPATH is read only through an eval that runs when it is set. An empty
                // PYTHONPATH is dropped first, as sh's ${PYTHONPATH:+...} does: "HOOK:" would put the working folder on sys.path.
                output.WriteLine($"set _polaris_hook={Quote(hook)}; if ( $?PYTHONPATH ) eval 'if ( \"$PYTHONPATH\" == \"\" ) unsetenv PYTHONPATH';"
                    + " if ( $?PYTHONPATH ) eval 'setenv PYTHONPATH \"$_polaris_hook\":\"$PYTHONPATH\"'; if ( ! $?PYTHONPATH ) setenv PYTHONPATH \"$_polaris_hook\"; unset _polaris_hook;"
                    + (drop != null ? $" setenv {RunCommand.DropVariable} {Quote(drop)};" : ""));
                break;
            default:
                throw new InvalidOperationException("unreachable: the shell was checked above");
        }
        return 0;
    }

    // Single quotes: nothing inside is expanded by sh or csh; a quote itself is closed, escaped and reopened.
    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
