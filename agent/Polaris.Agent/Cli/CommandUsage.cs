namespace Polaris.Agent.Cli;

/// <summary>What each command takes and does, as <c>--help</c> prints it.</summary>
public static class CommandUsage
{
    private static readonly (string Name, string Text)[] Commands =
    [
        ("run", """
            run [--drop DIR] -- CMD [ARGS...]
                   run CMD with the Python hook enabled, then become CMD (exec)
            """),
        ("serve", """
            serve [--drop DIR] [--spool DIR] [--collector URL]... [--config FILE] [--set KEY=VALUE]...
                   the node daemon: take in hook records, merge them into summaries, spool and ship them
                   (one daemon per drop folder and per spool: a second one refuses to start)
            """),
        ("status", """
            status [--socket PATH] [--config FILE] [--json]
                   ask the running daemon how it is doing, on the socket its settings name (exit 3 when none answers)
            """),
        ("env", """
            env [--drop DIR] [--shell sh|csh]
                   print the shell lines that enable the hook (for modulefiles and job scripts):
                   eval "$(polaris-agent env)" in sh, bash, zsh; eval `polaris-agent env --shell csh` in csh, tcsh
            """),
        ("install-hook", """
            install-hook --prefix ENV [--registry FILE]
                   install or update the hook in an environment's site-packages (.pth), covering python -I and venvs;
                   on Debian's layout (--prefix /usr) into lib/python3/dist-packages, read by every python3.X there;
                   lists ENV in the registry (default /var/lib/polaris-agent/hook-prefixes) so upgrades update it
            install-hook --refresh [--registry FILE]
                   update the hook in every environment the registry lists (the package's upgrade runs it);
                   exit 1 after naming each one it could not update
            """),
        ("uninstall-hook", """
            uninstall-hook --prefix ENV [--registry FILE]
                   remove the hook from an environment and from the registry (install-hook --uninstall does the same)
            """),
        ("bench", """
            bench [--runs N] [--warmup N] [--python PATH] [--workload one|many]... [--command 'CMD']...
                  [--config 'NAME=VAR=VALUE ...']... [--no-agent] [--json FILE]
                   time Python with and without the hook (and other tools), interleaved
            """),
        ("version", """
            version
                   print the agent's version
            """),
    ];

    /// <summary>Every command's usage, for <c>polaris-agent --help</c>.</summary>
    public static string All =>
        "usage: polaris-agent <command> [options]\n\n" + string.Join("\n", Commands.Select(c => Indent(c.Text))) + "\n\n"
        + "'polaris-agent <command> --help' shows one command's.";

    /// <summary>One command's usage, or null for a name that is no command.</summary>
    public static string? Of(string command) =>
        Commands.FirstOrDefault(c => c.Name == command).Text is { } text
            ? "usage: polaris-agent " + text + (command == "serve" ? "\n\n" + Serve.Settings.AgentSettings.Help() : "")
            : null;

    private static string Indent(string text) => string.Join("\n", text.Split('\n').Select(line => "  " + line));
}
