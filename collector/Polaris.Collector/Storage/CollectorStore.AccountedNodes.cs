using Polaris.Collector.Scheduler;

namespace Polaris.Collector.Storage;

public sealed partial class CollectorStore
{
    private readonly Lock _accountedLock = new();
    // Job key to the node count its accounting record gives; null until a report first asks. Kept in step by the PBS
    // import, dropped by the prune. Its size is the records kept (retentionDays of imports): some 200,000 jobs a year
    // of a Polaris-sized machine, about 15 MB.
    private Dictionary<string, int>? _accountedNodes;
    // While it is read: the records imported meanwhile, applied once it is.
    private List<PbsJobRecord>? _accountedChanges;
    // Counts prunes: a read begun before one is not kept.
    private long _accountedGeneration;

    /// <summary>The node counts of the accounting records of <paramref name="jobKeys"/> that give one
    /// (<c>Resource_List.nodect</c>). Reads the collection only: safe outside the write lock.</summary>
    /// <remarks>The import-cost reports ask for every job of their days: one lookup each in LiteDB cost about 15 µs,
    /// 3 s for a year's 200,000 jobs even with no record to find, and a scan of 200,000 records about 2 s. So the
    /// collection is read once and held.</remarks>
    public Dictionary<string, int> AccountedNodes(IEnumerable<string> jobKeys)
    {
        ArgumentNullException.ThrowIfNull(jobKeys);
        Dictionary<string, int>? held;
        long generation;
        lock (_accountedLock)
        {
            held = _accountedNodes;
            generation = _accountedGeneration;
            _accountedChanges ??= held == null ? [] : null;
        }
        if (held == null)
        {
            // Read outside the lock: an import that stores records meanwhile (under the write lock) only queues them.
            var loaded = _pbs.Query().Select("{ id: $._id, nodes: $.nodes }").ToEnumerable()
                .Where(r => r["nodes"].IsNumber && r["nodes"].AsInt32 > 0)
                .ToDictionary(r => r["id"].AsString, r => r["nodes"].AsInt32, StringComparer.Ordinal);
            lock (_accountedLock)
            {
                if (_accountedNodes == null && _accountedGeneration == generation && _accountedChanges != null)
                {
                    Apply(loaded, _accountedChanges);
                    _accountedNodes = loaded;
                    _accountedChanges = null;
                }
                held = _accountedNodes ?? loaded;
            }
        }
        lock (_accountedLock)
        {
            var nodes = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var key in jobKeys)
            {
                if (held.TryGetValue(key, out int count))
                {
                    nodes[key] = count;
                }
            }
            return nodes;
        }
    }

    // After a PBS import committed: the records that won, applied to what is held, or queued for a read under way.
    private void Accounted(IEnumerable<PbsJobRecord> records)
    {
        lock (_accountedLock)
        {
            if (_accountedNodes != null)
            {
                Apply(_accountedNodes, records);
            }
            else
            {
                _accountedChanges?.AddRange(records);
            }
        }
    }

    // After the prune removed accounting records: read again when next asked, and a read under way is not kept.
    private void AccountedPruned()
    {
        lock (_accountedLock)
        {
            _accountedNodes = null;
            _accountedChanges = null;
            _accountedGeneration++;
        }
    }

    private static void Apply(Dictionary<string, int> nodes, IEnumerable<PbsJobRecord> records)
    {
        foreach (var record in records)
        {
            if (record.NodeCount is > 0 and int count)
            {
                nodes[record.JobKey] = count;
            }
            else
            {
                nodes.Remove(record.JobKey);
            }
        }
    }
}
