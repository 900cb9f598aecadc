namespace Polaris.Agent.Cli;

/// <summary>Reads <c>--name value</c> and <c>--name=value</c> options up to <c>--</c> or the first operand.</summary>
/// <remarks>Hand-written on purpose: a parser library would cost start-up time and AOT size for six options.</remarks>
public sealed class OptionReader
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Arguments after the options: for <c>run</c>, the command to execute.</summary>
    public IReadOnlyList<string> Operands { get; }

    public OptionReader(IReadOnlyList<string> args, IReadOnlySet<string> known)
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
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? arg[2..] : arg[2..eq];
            if (!known.Contains(name))
            {
                throw new UsageException($"unknown option --{name}");
            }
            if (eq >= 0)
            {
                _values[name] = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                _values[name] = args[++i];
            }
            else
            {
                throw new UsageException($"option --{name} needs a value");
            }
        }
        Operands = args.Skip(i).ToArray();
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);
}
