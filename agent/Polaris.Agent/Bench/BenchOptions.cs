using System.Globalization;
using Polaris.Agent.Cli;

namespace Polaris.Agent.Bench;

/// <summary>Settings of <c>polaris-agent bench</c>, from its command line.</summary>
public sealed record BenchOptions
{
    /// <summary>Interpreter the <c>one</c> and <c>many</c> workloads run. Default <c>/usr/bin/python3</c>.</summary>
    public string Python { get; init; } = "/usr/bin/python3";

    /// <summary>Measured rounds: each runs every workload under every configuration once. Default 20.</summary>
    public int Runs { get; init; } = 20;

    /// <summary>Rounds run first and not reported (page cache, bytecode caches, the daemon's first connection). Default 2.</summary>
    public int Warmup { get; init; } = 2;

    /// <summary>File to write every measured run to, as JSON; none by default.</summary>
    public string? Json { get; init; }

    /// <summary>Whether the <c>agent</c> configuration runs (off with <c>--no-agent</c>).</summary>
    public bool Agent { get; init; } = true;

    /// <summary>The user's configurations (<c>--config</c>), after <c>bare</c> and <c>agent</c>.</summary>
    public IReadOnlyList<Configuration> Configurations { get; init; } = [];

    /// <summary>Built-in workloads by name (<c>--workload one|many</c>); <c>one</c> and <c>many</c> when no workload is named at all.</summary>
    public IReadOnlyList<string> Workloads { get; init; } = ["one", "many"];

    /// <summary>The user's shell commands (<c>--command</c>), measured as workloads <c>cmd1</c>, <c>cmd2</c>, ...</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];

    /// <summary>The built-in workloads.</summary>
    public static IReadOnlyList<string> KnownWorkloads { get; } = ["one", "many"];

    private static readonly HashSet<string> ValueOptions = ["python", "runs", "warmup", "json", "config", "workload", "command"];
    private static readonly HashSet<string> Flags = ["no-agent"];

    /// <summary>Builds the options from <c>bench</c>'s arguments; a bad one throws <see cref="UsageException"/> naming it.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var cli = new OptionReader(args, ValueOptions, Flags);
        if (cli.Operands.Count > 0)
        {
            throw new UsageException($"bench takes no operands: '{cli.Operands[0]}'");
        }
        var workloads = cli.GetAll("workload").Distinct(StringComparer.Ordinal).ToArray();
        if (workloads.FirstOrDefault(w => !KnownWorkloads.Contains(w)) is { } unknown)
        {
            throw new UsageException($"--workload {unknown}: expected one of {string.Join(", ", KnownWorkloads)} (or --command 'CMD')");
        }
        var commands = cli.GetAll("command");
        var configurations = cli.GetAll("config").Select(Configuration.Parse).ToArray();
        var defaults = new BenchOptions();
        var options = new BenchOptions
        {
            Python = cli.Get("python") ?? defaults.Python,
            Runs = Count(cli, "runs", defaults.Runs, minimum: 1),
            Warmup = Count(cli, "warmup", defaults.Warmup, minimum: 0),
            Json = cli.Get("json"),
            Agent = !cli.Has("no-agent"),
            Configurations = configurations,
            Workloads = workloads.Length == 0 && commands.Count == 0 ? defaults.Workloads : workloads,
            Commands = commands,
        };
        options.CheckNames();
        return options;
    }

    private void CheckNames()
    {
        var taken = new HashSet<string>(StringComparer.Ordinal) { Configuration.Bare.Name };
        if (Agent)
        {
            taken.Add("agent");
        }
        foreach (var configuration in Configurations)
        {
            if (!taken.Add(configuration.Name))
            {
                throw new UsageException($"--config {configuration.Name}: that configuration name is already used");
            }
        }
    }

    private static int Count(OptionReader cli, string name, int fallback, int minimum)
    {
        var text = cli.Get(name);
        if (text == null)
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < minimum)
        {
            throw new UsageException($"--{name} '{text}': expected a whole number of at least {minimum}");
        }
        return value;
    }
}
