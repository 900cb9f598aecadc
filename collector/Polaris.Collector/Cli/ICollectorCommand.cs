namespace Polaris.Collector.Cli;

/// <summary>A command of <c>polaris-collector</c> (<c>serve</c>, <c>import-pbs</c>, ...): its usage and what it does.
/// A new command is a class in this folder and one line in <see cref="Commands.All"/>.</summary>
public interface ICollectorCommand
{
    /// <summary>The word that picks the command: <c>serve</c>.</summary>
    string Name { get; }

    /// <summary>The command's synopsis and what it does, as <c>polaris-collector --help</c> lists it:
    /// <c>serve [--urls URL]...</c>, then indented lines.</summary>
    string Synopsis { get; }

    /// <summary>What the command's own <c>--help</c> adds to <see cref="Synopsis"/> (serve's settings); empty for none.</summary>
    string Details { get; }

    /// <summary>Runs the command with the arguments after its name; the result is the exit status.</summary>
    /// <param name="args">The arguments after the command's name.</param>
    /// <param name="output">Standard output, for what the command prints (its report, its usage).</param>
    /// <exception cref="HelpRequest"><c>--help</c> or <c>-h</c> was given: the caller prints the usage and exits 0.</exception>
    /// <exception cref="UsageException">The command line or a setting is wrong: the caller prints the message and exits 2.</exception>
    /// <exception cref="StartupException">The command cannot start: the caller prints the message and exits 1.</exception>
    Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output);
}
