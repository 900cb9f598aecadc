using System.Collections.Concurrent;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>A thread-safe cache keyed by text that forgets everything once it holds its bound.</summary>
/// <remarks>
/// Clearing beats an eviction policy here: the keys (folders, environments, node files) a node sees are few and
/// stable, so a full cache means something unusual (a user spraying paths), and refilling costs only file system
/// look-ups. Look-ups by span allocate nothing, which matters for one look-up per module of every record.
/// </remarks>
/// <typeparam name="TValue">What is cached.</typeparam>
public sealed class BoundedCache<TValue>
{
    private readonly ConcurrentDictionary<string, TValue> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TValue>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly int _capacity;

    public BoundedCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Entries held now.</summary>
    public int Count => _entries.Count;

    public bool TryGet(ReadOnlySpan<char> key, out TValue value) => _bySpan.TryGetValue(key, out value!);

    public void Set(string key, TValue value)
    {
        if (_entries.Count >= _capacity)
        {
            _entries.Clear();
        }
        _entries[key] = value;
    }
}
