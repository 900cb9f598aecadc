using System.Text;

namespace Polaris.Agent.Bench;

/// <summary>The comment lines above the table: machine, interpreter, exact command, and what each workload and configuration is.</summary>
public static class ReportHeader
{
    private const int Width = 100;

    public static string Format(MachineFacts machine, Interpreter python, IReadOnlyList<string> args,
        IReadOnlyList<Workload> workloads, IReadOnlyList<Configuration> configurations, IReadOnlyList<string> manyPackages)
    {
        var text = new StringBuilder();
        var cpu = machine.CpuModel is { } model ? $" ({model})" : "";
        var kernel = machine.Kernel is { } release ? $", Linux {release}" : "";
        text.Append($"# polaris-agent {AgentInfo.Version} bench, {machine.DateText}: {machine.Cores} cores{cpu}{kernel}, Python {python.Version} ({python.Path})\n");
        text.Append($"# command: {CommandLine(args)}\n");
        foreach (var workload in workloads)
        {
            text.Append($"# workload {workload.Name}: {workload.Description}\n");
        }
        foreach (var configuration in configurations)
        {
            text.Append($"# config {configuration.Name}: {Describe(configuration)}\n");
        }
        if (manyPackages.Count > 0)
        {
            foreach (var line in Wrap(manyPackages, "# many imports: "))
            {
                text.Append(line).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>The command line as a shell would take it back: arguments quoted only where they need it.</summary>
    public static string CommandLine(IReadOnlyList<string> args) =>
        string.Join(' ', args.Select(Quote).Prepend("polaris-agent bench"));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@%+,".Contains(c, StringComparison.Ordinal))
            ? arg
            : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Describe(Configuration configuration) =>
        configuration.Assignments.Count == 0
            ? "the environment bench was started in, unchanged"
            : string.Join(' ', configuration.Assignments.Select(a => a.Key + "=" + a.Value));

    private static IEnumerable<string> Wrap(IReadOnlyList<string> words, string prefix)
    {
        var line = new StringBuilder(prefix);
        var fresh = true;
        foreach (var word in words)
        {
            if (!fresh && line.Length + 1 + word.Length > Width)
            {
                yield return line.ToString();
                line.Clear().Append("#   ");
                fresh = true;
            }
            line.Append(fresh ? "" : " ").Append(word);
            fresh = false;
        }
        yield return line.ToString();
    }
}
