using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>The store stage: summaries and running totals in one LiteDB file, written one batch per transaction.</summary>
/// <remarks>
/// The batch key, the summaries and the totals change in the same transaction, so a crash never leaves a
/// batch half-counted, and a retried batch (same key) is recognised and not counted again. The agent sees to
/// it that no record is merged into two summaries (its spool journal), so the key is all that needs checking.
/// </remarks>
public sealed class CollectorStore : IDisposable
{
    /// <summary>Name of the database file inside the data folder.</summary>
    public const string FileName = "polaris.db";

    private const string TotalProcessesId = "python_processes";
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _batches;
    private readonly ILiteCollection<BsonDocument> _summaries;
    private readonly ILiteCollection<BsonDocument> _libraries;
    private readonly ILiteCollection<BsonDocument> _totals;
    private readonly Lock _write = new();

    public CollectorStore(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        _db = new LiteDatabase(new ConnectionString
        {
            Filename = Path.Combine(dataDirectory, FileName),
            Connection = ConnectionType.Direct,
        });
        _batches = _db.GetCollection("batches");
        _summaries = _db.GetCollection("summaries");
        _libraries = _db.GetCollection("libraries");
        _totals = _db.GetCollection("totals");
        _summaries.EnsureIndex("libraries", "$.libraries[*]");
        _summaries.EnsureIndex("start");
    }

    /// <summary>LiteDB 5 refuses a document past 16,683,050 bytes; the margin covers the <c>_id</c> the insert adds.</summary>
    public const int MaxDocumentBytes = 16_000_000;

    /// <summary>Stores a batch unless its key was stored before; a summary whose document LiteDB could not hold is
    /// refused alone, before it is written; the others are written in the same transaction.</summary>
    public IngestResult Ingest(Batch batch, DateTime receivedAtUtc)
    {
        lock (_write)
        {
            if (_batches.FindById(batch.Key) != null)
            {
                return new IngestResult(batch.Summaries.Count, batch.Processes, Duplicate: true, new Dictionary<string, int>(), []);
            }
            var perLibrary = new Dictionary<string, int>(StringComparer.Ordinal);
            var refused = new List<SummaryRefusal>();
            int processes = 0, stored = 0;
            _db.BeginTrans();
            try
            {
                // Each document is built, checked and inserted in turn, and let go: a summary of 16,384 modules is a
                // 39 MB document in memory (from 415 KB of MessagePack), and building all of a batch's documents
                // before the transaction took 9.6 GB for one 60 MiB batch. The transaction keeps their pages, not their objects.
                for (int i = 0; i < batch.Summaries.Count; i++)
                {
                    var summary = batch.Summaries[i];
                    var libraries = LibraryNames.Of(summary);
                    var document = SummaryDocument.From(summary, batch.Key, libraries);
                    int bytes = BsonSerializer.Serialize(document).Length;
                    if (bytes > MaxDocumentBytes)
                    {
                        refused.Add(new SummaryRefusal(i, $"summary takes {bytes} bytes as a document; the store holds at most {MaxDocumentBytes}", SummaryRefusalKind.TooLarge));
                        continue;
                    }
                    _summaries.Insert(document);
                    stored++;
                    processes += summary.Processes;
                    foreach (var (library, count) in libraries)
                    {
                        perLibrary[library] = perLibrary.GetValueOrDefault(library) + count;
                    }
                }
                _batches.Insert(new BsonDocument
                {
                    ["_id"] = batch.Key,
                    ["node"] = batch.Node,
                    ["agent"] = batch.AgentVersion,
                    ["created"] = DateTimeOffset.FromUnixTimeMilliseconds(batch.CreatedAtMs).UtcDateTime,
                    ["received"] = receivedAtUtc,
                    ["summaries"] = stored,
                    ["processes"] = processes,
                    ["refused"] = refused.Count,
                });
                Add(_totals, TotalProcessesId, processes);
                foreach (var (library, count) in perLibrary)
                {
                    Add(_libraries, library, count);
                }
                _db.Commit();
            }
            catch
            {
                _db.Rollback();
                throw;
            }
            return new IngestResult(stored, processes, Duplicate: false, perLibrary, refused);
        }
    }

    /// <summary>The running totals, as stored.</summary>
    public StoreTotals Totals()
    {
        var processes = _totals.FindById(TotalProcessesId)?["processes"].AsInt64 ?? 0;
        var libraries = _libraries.FindAll().ToDictionary(d => d["_id"].AsString, d => d["processes"].AsInt64, StringComparer.Ordinal);
        return new StoreTotals(processes, libraries);
    }

    /// <summary>Summaries stored, for reports and tests.</summary>
    public int SummaryCount() => _summaries.Count();

    /// <summary>The most recently started summaries, newest first, as JSON documents, read one at a time as the
    /// sequence is enumerated.</summary>
    /// <remarks>
    /// A summary may be about 16 MB as a document: the whole list as one array of texts held 3 GB for 90 of them
    /// (and a string past 2 GB is no string at all). Only the ids are read up front; each document is read, turned
    /// into JSON and let go while the caller writes it, and no database cursor lives across the caller's awaits.
    /// </remarks>
    public IEnumerable<string> RecentSummaries(int limit)
    {
        var ids = _summaries.Query().OrderByDescending("start").Select("{ id: $._id }").Limit(limit).ToEnumerable()
            .Select(d => d["id"]).ToArray();
        foreach (var id in ids)
        {
            if (_summaries.FindById(id) is { } document)
            {
                yield return LiteDB.JsonSerializer.Serialize(document);
            }
        }
    }

    private static void Add(ILiteCollection<BsonDocument> collection, string id, long processes)
    {
        var document = collection.FindById(id) ?? new BsonDocument { ["_id"] = id, ["processes"] = 0L };
        document["processes"] = document["processes"].AsInt64 + processes;
        collection.Upsert(document);
    }

    public void Dispose() => _db.Dispose();
}
