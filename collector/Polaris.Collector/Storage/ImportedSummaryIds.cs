using System.IO.Hashing;
using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>The imported summaries stored, as long as roll-ups are kept (collection <c>importedids</c>): a 16-byte hash
/// of the source and summary id, and the day the summary counts on. A record imported again is recognised by it,
/// whichever batch or node brings it.</summary>
/// <remarks>
/// The importers re-read growing folders every night, and their records count on their own day for
/// <c>rollupRetentionDays</c> (ten years), so the dedup of an import must live as long as the roll-ups it protects,
/// not <c>retentionDays</c> as an agent's live state does. An entry is about 50 bytes where a live summary's state
/// holds what it counted (the library blob): ten years of a large site's imports stay tens of megabytes. The set is
/// apart from the agents' <c>live</c> state, so no batch posted with an agent's token can name an imported summary
/// and stop it counting. Used under the store's write lock, inside its transaction.
/// </remarks>
internal sealed class ImportedSummaryIds
{
    public ImportedSummaryIds(ILiteCollection<BsonDocument> ids)
    {
        Collection = ids;
        ids.EnsureIndex("day");
    }

    /// <summary>The collection, for the prune.</summary>
    public ILiteCollection<BsonDocument> Collection { get; }

    /// <summary>True when the summary <paramref name="sid"/> of <paramref name="source"/> was stored.</summary>
    public bool Contains(RecordSource source, string sid) => Collection.FindById(KeyOf(source, sid)) != null;

    /// <summary>Notes the summary stored, counted on <paramref name="day"/> (yyyyMMdd): one that
    /// <see cref="Contains"/> said was not, in the same transaction (an insert, without the look-up an upsert makes).</summary>
    public void Add(RecordSource source, string sid, int day) =>
        Collection.Insert(Entry(source, sid, day));

    /// <summary>Moves the importers' entries of the agents' live state (<c>import-NAME/sid</c>, in stores from before
    /// this set) here, each kept
    /// from the day it came: the day it counts on is no longer known, and keeping it longer only dedups longer.</summary>
    /// <returns>Entries moved.</returns>
    public int Adopt(ILiteCollection<BsonDocument> live)
    {
        int moved = 0;
        foreach (var entry in live.Find(Query.StartsWith("_id", Import.ImportedSummaries.NodePrefix)).ToArray())
        {
            var key = entry["_id"].AsString;
            int slash = key.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && WireNames.ParseSource(key[Import.ImportedSummaries.NodePrefix.Length..slash]) is { } source && source != RecordSource.Agent)
            {
                Collection.Upsert(Entry(source, key[(slash + 1)..], Days.Of(entry["recv"].AsDateTime.ToUniversalTime())));
                live.Delete(entry["_id"]);
                moved++;
            }
        }
        return moved;
    }

    private static BsonDocument Entry(RecordSource source, string sid, int day) => new() { ["_id"] = KeyOf(source, sid), ["day"] = day };

    private static byte[] KeyOf(RecordSource source, string sid)
    {
        var hash = new XxHash128();
        HashedText.Append(hash, source.Name());
        HashedText.Append(hash, sid);
        return hash.GetCurrentHash();
    }
}
