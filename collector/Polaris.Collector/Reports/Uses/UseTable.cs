namespace Polaris.Collector.Reports;

/// <summary>The uses of a period, by name and science domain: modules, shared objects or packages
/// (<see cref="PeriodUses"/>). Kept by domain so that a report for one domain reads only its entries.</summary>
/// <param name="maxEntries">Entries held at most: names come from the users' records, and a user who loads a million
/// made-up modules must not make a period's uses a million entries; a new entry past it is counted in
/// <see cref="Dropped"/>, not held.</param>
public sealed class UseTable(int maxEntries = int.MaxValue)
{
    private readonly Dictionary<(string Name, string Domain), Use> _uses = [];

    /// <summary>Entries held.</summary>
    public int Count => _uses.Count;

    /// <summary>New entries refused past the table's bound, or for their names.</summary>
    public long Dropped { get; private set; }

    /// <summary>Counts an entry refused for its name.</summary>
    public void Refuse() => Dropped++;

    /// <summary>Every entry, in no set order.</summary>
    public IEnumerable<(string Name, string Domain, Use Use)> Entries => _uses.Select(e => (e.Key.Name, e.Key.Domain, e.Value));

    /// <summary>The use of <paramref name="name"/> in <paramref name="domain"/>, added when first asked for; null when
    /// it is new and the table is full.</summary>
    public Use? Of(string name, string domain)
    {
        if (!_uses.TryGetValue((name, domain), out var use))
        {
            if (_uses.Count >= maxEntries)
            {
                Dropped++;
                return null;
            }
            _uses[(name, domain)] = use = new Use();
        }
        return use;
    }
}
