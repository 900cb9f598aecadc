using Polaris.Agent.Bench;
using Polaris.Agent.Cli;
using Polaris.Agent.Run;
using Polaris.Agent.Serve;

namespace Polaris.Agent;

/// <summary>Entry point of <c>polaris-agent</c>: picks the verb and reports usage errors.</summary>
public static class Program
{
    private const string Usage = """
        usage: polaris-agent <command> [options]

          run [--socket PATH] -- CMD [ARGS...]
                 run CMD with the Python hook enabled, then become CMD (exec)
          serve [--socket PATH] [--spool DIR] [--collector URL] [--config FILE]
                 the node daemon: receive hook records, spool them, ship them to the collector
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
    }
}
