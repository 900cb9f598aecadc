namespace Polaris.Collector.Cli;

/// <summary>The entry of <c>polaris-collector</c>: picks the command, answers <c>--help</c> and <c>--version</c>
/// without starting anything, and turns every usage error and start-up failure into one line on standard error.</summary>
/// <remarks>Exit statuses: 0 done (help, version, a clean stop), 1 a start-up failure (<see cref="StartupException"/>),
/// 2 a wrong command line or setting (<see cref="UsageException"/>), as the agent's.</remarks>
public static class CommandLine
{
    /// <summary>The program's name, as messages and usage spell it.</summary>
    public const string ProgramName = "polaris-collector";

    /// <summary>Runs the command <paramref name="args"/> name and returns the exit status.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ICollectorCommand? command = null;
        try
        {
            var first = args.Count > 0 ? args[0] : null;
            switch (first)
            {
                case "--help" or "-h" or "help":
                    output.WriteLine(args.Count > 1 && Commands.Find(args[1]) is { } named ? UsageOf(named) : Usage);
                    return 0;
                case "--version" or "version":
                    if (args.Count > 1)
                    {
                        throw new UsageException($"{first} takes no arguments: '{args[1]}'");
                    }
                    output.WriteLine($"{ProgramName} {CollectorInfo.Version}");
                    return 0;
                case null:
                case { } when first.StartsWith("--", StringComparison.Ordinal):
                    // No command, or options first: serve, as a bare start has always meant.
                    command = Commands.Default;
                    return await command.RunAsync(args, output).ConfigureAwait(false);
                default:
                    command = Commands.Find(first) ?? throw new UsageException($"unknown command '{first}'");
                    return await command.RunAsync(args.Skip(1).ToArray(), output).ConfigureAwait(false);
            }
        }
        catch (HelpRequest)
        {
            output.WriteLine(command == null ? Usage : UsageOf(command));
            return 0;
        }
        catch (UsageException e)
        {
            // One line that says what is wrong and where the usage is; the whole usage would bury it.
            var help = command == null ? $"{ProgramName} --help" : $"{ProgramName} {command.Name} --help";
            error.WriteLine($"{ProgramName}: {TerminalText.Safe(e.Message)} (see '{help}')");
            return 2;
        }
        catch (StartupException e)
        {
            // A message may quote a collector's answer or a name from the records.
            error.WriteLine($"{ProgramName}: {TerminalText.Safe(e.Message)}");
            return 1;
        }
    }

    /// <summary>Every command's synopsis, for <c>polaris-collector --help</c>.</summary>
    public static string Usage =>
        $"usage: {ProgramName} [<command>] [options]\n\n"
        + string.Join("\n", Commands.All.Select(c => Indent(c.Synopsis)))
        + $"\n  --version\n         print the collector's version\n\n"
        + $"With no command, {ProgramName} serves. '{ProgramName} <command> --help' shows one command's usage.";

    /// <summary>One command's usage, for <c>polaris-collector COMMAND --help</c>.</summary>
    public static string UsageOf(ICollectorCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return $"usage: {ProgramName} {command.Synopsis}" + (command.Details.Length > 0 ? "\n\n" + command.Details : "");
    }

    private static string Indent(string text) => string.Join("\n", text.Split('\n').Select(line => "  " + line));
}
