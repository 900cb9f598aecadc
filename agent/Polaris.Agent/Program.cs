using Polaris.Agent.Bench;
using Polaris.Agent.Cli;
using Polaris.Agent.Install;
using Polaris.Agent.Run;
using Polaris.Agent.Serve;
using Polaris.Agent.Serve.Status;

namespace Polaris.Agent;

/// <summary>Entry point of <c>polaris-agent</c>: picks the verb and reports usage errors.</summary>
public static class Program
{
    private const string Usage = """
        usage: polaris-agent <command> [options]

          run [--drop DIR] -- CMD [ARGS...]
                 run CMD with the Python hook enabled, then become CMD (exec)
          serve [--drop DIR] [--spool DIR] [--collector URL]... [--config FILE]
                 the node daemon: take in hook records, merge them into summaries, spool and ship them
          status [--socket PATH] [--config FILE] [--json]
                 ask the running daemon how it is doing, on the socket its settings name (exit 3 when none answers)
          env [--drop DIR] [--shell sh|csh]
                 print the shell lines that enable the hook (for modulefiles and job scripts)
          install-hook --prefix ENV [--uninstall]
                 install the hook into an environment's site-packages (.pth), covering python -I and venvs
          bench [--runs N] [--warmup N] [--python PATH] [--workload one|many]... [--command 'CMD']...
                [--config 'NAME=VAR=VALUE ...']... [--no-agent] [--json FILE]
                 time Python with and without the hook (and other tools), interleaved
          version
                 print the agent's version
        """;

    public static async Task<int> Main(string[] args)
    {
        try
        {
            var rest = args.Skip(1).ToArray();
            switch (args.FirstOrDefault())
            {
                case "run": return RunCommand.Execute(rest);
                case "serve": return await ServeCommand.ExecuteAsync(rest).ConfigureAwait(false);
                case "status": return StatusCommand.Execute(rest, Console.Out, Console.Error);
                case "env": return EnvCommand.Execute(rest, Console.Out);
                case "install-hook": return InstallHookCommand.Execute(rest, Console.Out);
                case "bench": return BenchCommand.Execute(rest);
                case "version" or "--version": Console.WriteLine(AgentInfo.Version); return 0;
                case "help" or "--help" or "-h": Console.WriteLine(Usage); return 0;
                case null: Console.Error.WriteLine(Usage); return 2;
                default: throw new UsageException($"unknown command '{args[0]}'");
            }
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"polaris-agent: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder we cannot create or a file we cannot write: say which, without a stack trace.
            Console.Error.WriteLine($"polaris-agent: {e.Message}");
            return 1;
        }
    }
}
