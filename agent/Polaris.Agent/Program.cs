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
                case "env": return EnvCommand.Execute(rest, Console.Out, Console.Error);
                case "install-hook": return InstallHookCommand.Execute(rest, Console.Out, Console.Error, uninstall: false);
                case "uninstall-hook": return InstallHookCommand.Execute(rest, Console.Out, Console.Error, uninstall: true);
                case "bench": return BenchCommand.Execute(rest);
                case "version" or "--version":
                    if (rest.Length > 0 && rest[0] is not ("--help" or "-h"))
                    {
                        throw new UsageException($"version takes no arguments: '{rest[0]}'");
                    }
                    Console.WriteLine(rest.Length > 0 ? CommandUsage.Of("version") : AgentInfo.Version);
                    return 0;
                case "help" or "--help" or "-h":
                    Console.WriteLine(rest.Length > 0 && CommandUsage.Of(rest[0]) is { } one ? one : CommandUsage.All);
                    return 0;
                case null: Console.Error.WriteLine(CommandUsage.All); return 2;
                default: throw new UsageException($"unknown command '{args[0]}'");
            }
        }
        catch (HelpRequest)
        {
            Console.WriteLine(CommandUsage.Of(args[0]) ?? CommandUsage.All);
            return 0;
        }
        catch (UsageException e)
        {
            // One line that says what is wrong and where the usage is; the whole usage would bury it.
            var help = CommandUsage.Of(args.FirstOrDefault() ?? "") != null ? $"polaris-agent {args[0]} --help" : "polaris-agent --help";
            Console.Error.WriteLine($"polaris-agent: {e.Message} (see '{help}')");
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
