using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>The store stage: process records and running totals in one LiteDB file, written one batch per transaction.</summary>
/// <remarks>
/// The batch key, the records and the totals change in the same transaction, so a crash never leaves a
/// batch half-counted, and a retried batch (same key) is recognised and not counted again.
/// </remarks>
public sealed class CollectorStore : IDisposable
{
    /// <summary>Name of the database file inside the data folder.</summary>
    public const string FileName = "polaris.db";

    private const string TotalProcessesId = "python_processes";
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _batches;
    private readonly ILiteCollection<BsonDocument> _processes;
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
        _processes = _db.GetCollection("processes");
        _libraries = _db.GetCollection("libraries");
        _totals = _db.GetCollection("totals");
        _processes.EnsureIndex("libraries", "$.libraries[*]");
        _processes.EnsureIndex("start");
    }

    /// <summary>Stores a batch unless its key was stored before.</summary>
    public IngestResult Ingest(Batch batch, DateTime receivedAtUtc)
    {
        lock (_write)
        {
            if (_batches.FindById(batch.Key) != null)
            {
                return new IngestResult(batch.Records.Count, Duplicate: true, new Dictionary<string, int>());
            }
            var perLibrary = new Dictionary<string, int>(StringComparer.Ordinal);
            int stored = 0;
            _db.BeginTrans();
            try
            {
                _batches.Insert(new BsonDocument
                {
                    ["_id"] = batch.Key,
                    ["node"] = batch.Node,
                    ["agent"] = batch.AgentVersion,
                    ["created"] = DateTimeOffset.FromUnixTimeMilliseconds(batch.CreatedAtMs).UtcDateTime,
                    ["received"] = receivedAtUtc,
                    ["records"] = batch.Records.Count,
                });
                foreach (var record in batch.Records)
                {
                    // A record read twice by an agent (a crash between spooling and removing its file) counts once.
                    if (record.RecordId.Length > 0 && _processes.FindById(record.RecordId) != null)
                    {
                        continue;
                    }
                    stored++;
                    var libraries = LibraryNames.Of(record.Modules);
                    foreach (var library in libraries)
                    {
                        perLibrary[library] = perLibrary.GetValueOrDefault(library) + 1;
                    }
                    _processes.Insert(ProcessDocument.From(record, batch.Key, libraries));
                }
                Add(_totals, TotalProcessesId, stored);
                foreach (var (library, processes) in perLibrary)
                {
                    Add(_libraries, library, processes);
                }
                _db.Commit();
            }
            catch
            {
                _db.Rollback();
                throw;
            }
            return new IngestResult(stored, Duplicate: false, perLibrary);
        }
    }

    /// <summary>The running totals, as stored.</summary>
    public StoreTotals Totals()
    {
        var processes = _totals.FindById(TotalProcessesId)?["processes"].AsInt64 ?? 0;
        var libraries = _libraries.FindAll().ToDictionary(d => d["_id"].AsString, d => d["processes"].AsInt64, StringComparer.Ordinal);
        return new StoreTotals(processes, libraries);
    }

    /// <summary>Process records stored, for reports and tests.</summary>
    public int ProcessCount() => _processes.Count();

    /// <summary>The most recently stored process records, newest first, as JSON documents.</summary>
    public IReadOnlyList<string> RecentProcesses(int limit) =>
        _processes.Find(Query.All("start", Query.Descending), limit: limit)
            .Select(d => LiteDB.JsonSerializer.Serialize(d))
            .ToArray();

    private static void Add(ILiteCollection<BsonDocument> collection, string id, long processes)
    {
        var document = collection.FindById(id) ?? new BsonDocument { ["_id"] = id, ["processes"] = 0L };
        document["processes"] = document["processes"].AsInt64 + processes;
        collection.Upsert(document);
    }

    public void Dispose() => _db.Dispose();
}
