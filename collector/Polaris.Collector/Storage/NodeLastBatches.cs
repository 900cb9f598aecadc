using System.IO.Hashing;
using System.Runtime.InteropServices;
using LiteDB;

namespace Polaris.Collector.Storage;

/// <summary>When each node with a <c>node</c> label last sent a batch, kept across restarts for
/// <c>polaris_collector_node_last_batch_timestamp_seconds</c>: in a fixed number of documents of many nodes each (a
/// node's by a stable hash of its name), each rewritten whole in the fold when one of its nodes posted.</summary>
/// <remarks>One document per node cost the fold a LiteDB upsert for every node that posted, on the store's one writer:
/// after a burst from 10,000 nodes, 10,000 upserts holding the write lock, a tenth of the ingest's CPU. Only labelled
/// nodes are kept (at most <c>maxNodeLabels</c>): no other node has a series to restore. Stores written before kept
/// one document per node in <c>nodes</c>; they are still read, under the newer values.</remarks>
internal sealed class NodeLastBatches(ILiteCollection<BsonDocument> buckets, ILiteCollection<BsonDocument> legacy)
{
    private const int BucketCount = 64;
    private readonly Dictionary<string, DateTime>[] _nodes = [.. Enumerable.Range(0, BucketCount).Select(_ => new Dictionary<string, DateTime>(StringComparer.Ordinal))];
    private readonly HashSet<int> _dirty = [];

    /// <summary>Reads what was stored (under the write lock, at start).</summary>
    public IEnumerable<(string Node, DateTime LastUtc)> Load()
    {
        foreach (var document in legacy.FindAll())
        {
            if (document["_id"].IsString && document["last"].IsDateTime)
            {
                Set(document["_id"].AsString, document["last"].AsDateTime.ToUniversalTime());
            }
        }
        foreach (var document in buckets.FindAll())
        {
            foreach (var pair in document["n"].AsArray)
            {
                Set(pair[0].AsString, pair[1].AsDateTime.ToUniversalTime());
            }
        }
        _dirty.Clear();
        return [.. _nodes.SelectMany(b => b.Select(e => (e.Key, e.Value)))];
    }

    /// <summary>Notes a labelled node's batch (under the write lock).</summary>
    public void Note(string node, DateTime lastUtc) => _dirty.Add(Set(node, lastUtc));

    /// <summary>Rewrites the documents whose nodes posted since the last commit, in the caller's transaction.</summary>
    public void Write()
    {
        foreach (int bucket in _dirty)
        {
            var pairs = new BsonArray();
            foreach (var (node, last) in _nodes[bucket])
            {
                pairs.Add(new BsonArray { node, last });
            }
            buckets.Upsert(new BsonDocument { ["_id"] = bucket, ["n"] = pairs });
        }
    }

    /// <summary>The transaction of <see cref="Write"/> committed; until then (a rollback) the next fold writes them again.</summary>
    public void Committed() => _dirty.Clear();

    private int Set(string node, DateTime lastUtc)
    {
        int bucket = (int)(XxHash32.HashToUInt32(MemoryMarshal.AsBytes(node.AsSpan())) % BucketCount);
        var nodes = _nodes[bucket];
        if (!nodes.TryGetValue(node, out var known) || known < lastUtc)
        {
            nodes[node] = lastUtc;
        }
        return bucket;
    }
}
