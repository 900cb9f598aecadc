namespace Polaris.Collector.Cli;

/// <summary>Reads <c>--name value</c> and <c>--name=value</c> options up to <c>--</c> or the first operand; <c>--help</c>
/// or <c>-h</c> among them throws <see cref="HelpRequest"/>.</summary>
/// <remarks>A copy of the agent's <c>Polaris.Agent.Cli.OptionReader</c>, so that both programs read a command line
/// alike; the collector does not reference the agent, whose native-AOT build must not depend on ASP.NET.</remarks>
public sealed class OptionReader
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    /// <summary>Arguments after the options (<c>import-pbs FILE...</c>'s files).</summary>
    public IReadOnlyList<string> Operands { get; }

    /// <param name="args">The verb's arguments.</param>
    /// <param name="known">Options that take a value.</param>
    /// <param name="flags">Options that take none (<c>--no-agent</c>).</param>
    public OptionReader(IReadOnlyList<string> args, IReadOnlySet<string> known, IReadOnlySet<string>? flags = null)
    {
        int i = 0;
        for (; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                i++;
                break;
            }
            if (arg is "--help" or "-h")
            {
                throw new HelpRequest();
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? arg[2..] : arg[2..eq];
            if (flags != null && flags.Contains(name))
            {
                if (eq >= 0)
                {
                    throw new UsageException($"option --{name} takes no value");
                }
                _flags.Add(name);
                continue;
            }
            if (!known.Contains(name))
            {
                throw new UsageException($"unknown option --{name}");
            }
            if (eq >= 0)
            {
                Add(name, arg[(eq + 1)..]);
            }
            else if (i + 1 < args.Count)
            {
                Add(name, args[++i]);
            }
            else
            {
                throw new UsageException($"option --{name} needs a value");
            }
        }
        Operands = args.Skip(i).ToArray();
    }

    /// <summary>The option's value; when it was given several times, the last one wins.</summary>
    public string? Get(string name) => _values.TryGetValue(name, out var all) ? all[^1] : null;

    /// <summary>Every value of an option that may be repeated, in command-line order.</summary>
    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var all) ? all : [];

    /// <summary>Whether a flag was given.</summary>
    public bool Has(string flag) => _flags.Contains(flag);

    private void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var all))
        {
            _values[name] = all = [];
        }
        all.Add(value);
    }
}
