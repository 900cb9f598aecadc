using Polaris.Agent.Cli;

namespace Polaris.Agent.Bench;

/// <summary>A named way to run the workloads: environment assignments laid over the bare environment.</summary>
/// <param name="Name">Its name in the table: <c>bare</c>, <c>agent</c>, or one the user chose.</param>
/// <param name="Assignments">Variables set (or replaced) in the bare environment; none for <c>bare</c>.</param>
public sealed record Configuration(string Name, IReadOnlyDictionary<string, string> Assignments)
{
    /// <summary>The reference every other configuration is compared with: the environment bench was started in.</summary>
    public static Configuration Bare { get; } = new("bare", new SortedDictionary<string, string>(StringComparer.Ordinal));

    /// <summary>The configuration whose environment is <paramref name="environment"/>: what it sets differently from <paramref name="bare"/>.</summary>
    public static Configuration Differing(string name, IReadOnlyDictionary<string, string> bare, IReadOnlyDictionary<string, string> environment)
    {
        var assignments = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (variable, value) in environment)
        {
            if (!bare.TryGetValue(variable, out var old) || old != value)
            {
                assignments[variable] = value;
            }
        }
        return new Configuration(name, assignments);
    }

    /// <summary>Parses <c>--config 'NAME=VAR=VALUE VAR2=VALUE2'</c>.</summary>
    /// <remarks>Assignments are separated by blanks, so a value cannot contain one; XALT's and similar settings do not need any.</remarks>
    public static Configuration Parse(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        var name = eq < 0 ? text : text[..eq];
        if (eq <= 0 || !IsName(name))
        {
            throw new UsageException($"--config '{text}': expected NAME=VAR=VALUE [VAR2=VALUE2 ...], NAME of letters, digits, '-', '_' or '.'");
        }
        var assignments = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var assignment in text[(eq + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var split = assignment.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0)
            {
                throw new UsageException($"--config {name}: '{assignment}' is not VAR=VALUE");
            }
            assignments[assignment[..split]] = assignment[(split + 1)..];
        }
        if (assignments.Count == 0)
        {
            throw new UsageException($"--config {name}: no VAR=VALUE assignment");
        }
        return new Configuration(name, assignments);
    }

    /// <summary>The full environment a workload runs with.</summary>
    public SortedDictionary<string, string> EnvironmentOver(IReadOnlyDictionary<string, string> bare)
    {
        var environment = new SortedDictionary<string, string>(bare.ToDictionary(), StringComparer.Ordinal);
        foreach (var (variable, value) in Assignments)
        {
            environment[variable] = value;
        }
        return environment;
    }

    private static bool IsName(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
