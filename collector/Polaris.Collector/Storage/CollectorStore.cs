using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Collector.Jobs;
using Polaris.Collector.Metrics;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>The store stage: one LiteDB file, opened once in Direct mode and shared; every write under one lock, one
/// transaction per batch (docs/collector.md).</summary>
/// <remarks>
/// The batch key, the summaries and the module tables they name change in one transaction, so a crash never leaves
/// a batch half-stored and a retried batch (same key) is recognised. The roll-ups, the counters' stored values and
/// the jobs change in the fold's transaction (<see cref="Fold"/>) together with the watermark of what was folded;
/// summaries past it are folded again at start (<see cref="Recover"/>), so nothing is counted twice or lost.
/// </remarks>
public sealed partial class CollectorStore : IDisposable
{
    /// <summary>Name of the database file inside the data folder.</summary>
    public const string FileName = "polaris.db";

    /// <summary>LiteDB 5 refuses a document past 16,683,050 bytes; the margin covers the <c>_id</c> the insert adds.</summary>
    public const int MaxDocumentBytes = 16_000_000;

    private const string SequenceId = "sequence";
    private const string WatermarkId = "folded";
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _meta;
    private readonly ILiteCollection<BsonDocument> _batches;
    private readonly ILiteCollection<BsonDocument> _tables;
    private readonly ILiteCollection<BsonDocument> _summaries;
    private readonly ILiteCollection<BsonDocument> _rollups;
    private readonly Dictionary<RecordSource, ILiteCollection<BsonDocument>> _importedRollups = [];
    private readonly UserDirectory _users;
    private readonly ILiteCollection<BsonDocument> _series;
    private readonly ILiteCollection<BsonDocument> _live;
    private readonly ImportedSummaryIds _importedIds;
    private readonly List<long> _superseded = [];
    private readonly ILiteCollection<BsonDocument> _pbs;
    private readonly LibraryTotals _totals;
    private readonly StoreLock _lock;
    private readonly ModuleTableCache _tableCache = new(64L * 1024 * 1024);
    private readonly RecentTables _recentTables = new();
    private readonly Dictionary<RecordSource, DailyLibraryBudget> _libraryBudgets = [];
    private readonly List<StoredSummary> _unfolded = [];
    private readonly NodeLastBatches _nodeLast;
    private readonly Lock _write = new();
    private readonly CollectorMetrics _metrics;
    private readonly Func<string, string> _domainOf;
    private readonly int _retentionDays;
    private readonly int _rollupRetentionDays;
    private long _sequence;
    private long _batchSequence;

    public CollectorStore(string dataDirectory, CollectorMetrics metrics, Func<string, string>? domainOf = null, int retentionDays = 90, int maxLibrariesPerDay = 20_000,
        int rollupRetentionDays = 3650, int maxUserNames = 100_000)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Directory.CreateDirectory(dataDirectory);
        Path = System.IO.Path.Combine(dataDirectory, FileName);
        // Before LiteDB opens the file: it would let a second process in (StoreLock).
        _lock = StoreLock.Take(dataDirectory);
        try
        {
            _db = new LiteDatabase(new ConnectionString { Filename = Path, Connection = ConnectionType.Direct });
        }
        catch
        {
            _lock.Dispose();
            throw;
        }
        // LiteDB's own checkpoint gives up while any reader is in (LiteDB #2814): the collector runs its own (Checkpoint).
        _db.CheckpointSize = 0;
        _metrics = metrics;
        _domainOf = domainOf ?? (_ => Domains.Unknown);
        _retentionDays = retentionDays;
        _rollupRetentionDays = rollupRetentionDays;
        _meta = _db.GetCollection("meta");
        _batches = _db.GetCollection("batches");
        _tables = _db.GetCollection("tables");
        _summaries = _db.GetCollection("summaries");
        _rollups = _db.GetCollection("rollups");
        // Each imported source's roll-ups apart: what reads "rollups" (the metrics' windows, the totals, the merge of
        // several collectors) stays the agent's, as it was before imports.
        foreach (var source in new[] { RecordSource.Xalt, RecordSource.PyModuleSnooper })
        {
            var collection = _db.GetCollection(RollupCollection(source));
            collection.EnsureIndex("day");
            _importedRollups.Add(source, collection);
        }
        _users = new UserDirectory(_db.GetCollection("users"), _meta, maxUserNames, metrics.UserNameRefused);
        _series = _db.GetCollection("series");
        _nodeLast = new NodeLastBatches(_db.GetCollection("nodelast"), _db.GetCollection("nodes"));
        _live = _db.GetCollection("live");
        _importedIds = new ImportedSummaryIds(_db.GetCollection("importedids"));
        _pbs = _db.GetCollection("pbs");
        Jobs = new JobRegistry(_db.GetCollection("jobs"), _pbs);
        _summaries.EnsureIndex("day");
        _summaries.EnsureIndex("jobkey", "$.job.key");
        _batches.EnsureIndex("recv");
        _batches.EnsureIndex("bseq");
        _tables.EnsureIndex("last");
        _rollups.EnsureIndex("day");
        _db.GetCollection(BundlesName).EnsureIndex("b");
        _db.GetCollection(MonthsName).EnsureIndex("b");
        _db.GetCollection(UsesName).EnsureIndex("b");
        // home-jobs asks for the jobs that loaded from home directories: a few among a year's hundreds of thousands.
        _db.GetCollection("jobs").EnsureIndex("home");
        _series.EnsureIndex("m");
        _summaries.EnsureIndex("sup");
        _live.EnsureIndex("recv");
        _pbs.EnsureIndex("imported");
        _totals = LibraryTotals.Open(_db, _rollups, _meta);
        _db.BeginTrans();
        _importedIds.Adopt(_live);
        _db.Commit();
        // One budget per source, each reloaded from its own roll-ups: a flood of made-up names in one tool's records
        // cannot fold another source's libraries into "other", nor the agent's theirs.
        foreach (var source in Enum.GetValues<RecordSource>())
        {
            var rollups = RollupsOf(source);
            _libraryBudgets.Add(source, new DailyLibraryBudget(maxLibrariesPerDay, day => LibrariesOn(rollups, day)));
        }
        var sequence = _meta.FindById(SequenceId);
        _sequence = sequence?["value"].AsInt64 ?? 0;
        _batchSequence = sequence?["batches"].AsInt64 ?? 0;
    }

    /// <summary>The collection of a source's roll-ups: <c>rollups</c> for the agent's, <c>rollups_NAME</c> for an
    /// imported source's.</summary>
    public static string RollupCollection(RecordSource source) =>
        source == RecordSource.Agent ? "rollups" : "rollups_" + source.Name();

    /// <summary>The libraries of a day's roll-ups (the library field only, not the documents' user and job sets),
    /// without the day's own document (library "").</summary>
    private static IEnumerable<string> LibrariesOn(ILiteCollection<BsonDocument> rollups, int day) =>
        rollups.Query().Where(Query.EQ("day", day)).Select("{ lib: $.lib }").ToEnumerable().Select(d => d["lib"].AsString).Where(l => l.Length > 0);

    /// <summary>Numbers given to user names before the agent showed their uid, each with that uid
    /// (<see cref="UserDirectory.Aliases"/>): reports count the two as one user.</summary>
    public IReadOnlyDictionary<long, long> UserAliases() => _users.Aliases(); // kept between changes, never under the write lock

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The jobs; use under <see cref="WithWriteLock"/> only.</summary>
    public JobRegistry Jobs { get; }

    /// <summary>Summaries stored but not folded yet.</summary>
    public int Unfolded
    {
        get
        {
            lock (_write)
            {
                return _unfolded.Count;
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> under the write lock, in a transaction.</summary>
    public T WithWriteLock<T>(Func<LiteDatabase, T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_write)
        {
            _db.BeginTrans();
            try
            {
                var result = action(_db);
                _db.Commit();
                return result;
            }
            catch
            {
                _db.Rollback();
                throw;
            }
        }
    }

    /// <summary>Summaries stored, for reports and tests.</summary>
    public int SummaryCount() => _summaries.Count();

    /// <summary>Summaries stored, counting only the latest version of a live summary.</summary>
    public int SummaryCountLatest() => _summaries.Count(Query.Not("sup", true));

    /// <summary>Module tables stored.</summary>
    public int TableCount() => _tables.Count();

    public void Dispose()
    {
        _db.Dispose();
        _lock.Dispose();
    }
}
