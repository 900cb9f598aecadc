namespace Polaris.Collector.Reports;

/// <summary>The uses of a period, by name and science domain: modules, shared objects or packages
/// (<see cref="PeriodUses"/>). Kept by domain so that a report for one domain reads only its entries.</summary>
public sealed class UseTable
{
    private readonly Dictionary<(string Name, string Domain), Use> _uses = [];

    /// <summary>Entries held.</summary>
    public int Count => _uses.Count;

    /// <summary>Every entry, in no set order.</summary>
    public IEnumerable<(string Name, string Domain, Use Use)> Entries => _uses.Select(e => (e.Key.Name, e.Key.Domain, e.Value));

    /// <summary>The use of <paramref name="name"/> in <paramref name="domain"/>, added when first asked for.</summary>
    public Use Of(string name, string domain)
    {
        if (!_uses.TryGetValue((name, domain), out var use))
        {
            _uses[(name, domain)] = use = new Use();
        }
        return use;
    }
}
