namespace Polaris.Collector.Storage;

/// <summary>The module tables stored lately, by id, within a memory budget: a table the next summary repeats costs
/// one hash and one comparison, no read. The oldest go first past the budget.</summary>
/// <remarks>Used under the store's write lock only.</remarks>
internal sealed class ModuleTableCache(long maxBytes)
{
    private readonly Dictionary<string, (ModuleTable Table, int LastDay)> _tables = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private long _bytes;

    public bool TryGet(string id, out ModuleTable table, out int lastDay)
    {
        if (_tables.TryGetValue(id, out var entry))
        {
            (table, lastDay) = entry;
            return true;
        }
        table = null!;
        lastDay = 0;
        return false;
    }

    public void Put(string id, ModuleTable table, int lastDay)
    {
        if (_tables.ContainsKey(id))
        {
            _tables[id] = (table, lastDay);
            return;
        }
        long bytes = table.Bytes;
        if (bytes > maxBytes / 4)
        {
            return; // one huge table would empty the cache for everyone else
        }
        _tables[id] = (table, lastDay);
        _order.Enqueue(id);
        _bytes += bytes;
        while (_bytes > maxBytes && _order.TryDequeue(out var oldest))
        {
            if (_tables.Remove(oldest, out var gone))
            {
                _bytes -= gone.Table.Bytes;
            }
        }
    }

    /// <summary>Forgets a table the prune deleted: a summary that repeats it must store it again, not refer to it.</summary>
    public void Remove(string id)
    {
        if (_tables.Remove(id, out var gone))
        {
            _bytes -= gone.Table.Bytes; // its place in the order is skipped when it comes up
        }
    }

    /// <summary>Forgets everything: after a rolled-back transaction, what was put may not be stored.</summary>
    public void Clear()
    {
        _tables.Clear();
        _order.Clear();
        _bytes = 0;
    }
}
