using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

public sealed partial class CollectorStore
{
    /// <summary>Rows deleted per transaction when pruning, so that ingest waits at most for one small transaction.</summary>
    private const int PruneChunk = 500;

    /// <summary>When the last checkpoint finished, UTC; null before the first.</summary>
    public DateTime? LastCheckpointUtc { get; private set; }

    /// <summary>Bytes of the database file.</summary>
    public long StoreBytes => FileBytes(Path);

    /// <summary>Bytes of LiteDB's log file (<c>polaris-log.db</c>), which a checkpoint empties into the database.</summary>
    public long LogBytes => FileBytes(System.IO.Path.ChangeExtension(Path, null) + "-log.db");

    /// <summary>Copies the log into the database and empties it. LiteDB's own checkpoint is a try that gives up while
    /// a reader is in; this one waits for readers and holds new ones back while it runs.</summary>
    public void Checkpoint(DateTime nowUtc)
    {
        lock (_write)
        {
            _db.Checkpoint();
            LastCheckpointUtc = nowUtc;
        }
    }

    /// <summary>Deletes what is past retention, a few hundred rows per transaction: summaries, batch keys, module
    /// tables not referenced since, accounting records (from their import; the jobs keep what they took) and the
    /// state of live summaries no version of which came since (a later version counts again as a new summary),
    /// after <paramref name="retentionDays"/>; roll-ups, the imported summaries' ids and the user names not seen since after
    /// <paramref name="rollupRetentionDays"/>. The distinct
    /// windows' users and jobs go once no window counts them.</summary>
    /// <returns>Rows deleted, by collection.</returns>
    public IReadOnlyDictionary<string, int> Prune(DateTime nowUtc, int retentionDays, int rollupRetentionDays)
    {
        lock (_write)
        {
            _metrics.ForgetPastWindows(nowUtc);
        }
        int today = Days.Number(Days.Of(nowUtc));
        int cutoff = Days.FromNumber(today - retentionDays);
        int rollupCutoff = Days.FromNumber(today - rollupRetentionDays);
        var cutoffTime = nowUtc.AddDays(-retentionDays);
        // Only what a fold has counted: an imported summary of a past day is past retention as soon as it is stored.
        long folded = _meta.FindById(WatermarkId)?["value"].AsInt64 ?? 0;
        if (cutoff > Volatile.Read(ref _summariesPrunedBefore))
        {
            Volatile.Write(ref _summariesPrunedBefore, cutoff);
        }
        var builtRuns = BuiltDaysBefore(cutoff, out int firstUnbuilt);
        var pruned = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["summaries"] = builtRuns.Sum(days => PruneWhere(_summaries, Query.And(Query.GTE("day", days.From), Query.LT("day", days.Before), Query.LTE("_id", folded)))),
            ["batches"] = PruneWhere(_batches, Query.LT("recv", cutoffTime)),
            // A table a summary kept for its period refers to (its last day is that day or later) stays with it.
            ["tables"] = PruneWhere(_tables, Query.LT("last", firstUnbuilt), deleting: t => _tableCache.Remove(t["id"].AsString)),
            // What /v1/libraries counts goes with them (LibraryTotals).
            ["rollups"] = PruneWhere(_rollups, Query.LT("day", rollupCutoff), "{ id: $._id, lib: $.lib, p: $.p }", r => _totals.Stage(r["lib"].AsString, -r["p"].AsInt64)),
            ["pbs"] = PruneWhere(_pbs, Query.LT("imported", cutoffTime)),
            // As long as the versions it compares: summaries and batch keys go after retentionDays too.
            ["live"] = PruneWhere(_live, Query.LT("recv", cutoffTime)),
        };
        if (pruned["pbs"] > 0)
        {
            AccountedPruned();
        }
        // An import's dedup lives as long as the roll-ups it keeps from counting twice: by the day the record counts on.
        pruned["importedids"] = PruneWhere(_importedIds.Collection, Query.LT("day", rollupCutoff));
        // A name not seen while any roll-up kept could hold its number (UserDirectory); entries from before the day
        // was noted have none, and stay until seen again.
        pruned["users"] = PruneWhere(_users.Collection, Query.And(Query.GT("seen", 0), Query.LT("seen", rollupCutoff)),
            "{ id: $._id }", r => _users.Pruned(r["id"].AsString));
        lock (_write)
        {
            _users.Committed();
        }
        foreach (var (source, rollups) in _importedRollups)
        {
            pruned[RollupCollection(source)] = PruneWhere(rollups, Query.LT("day", rollupCutoff));
        }
        pruned[BundlesName] = PrunePeriods(rollupCutoff);
        return pruned;
    }

    /// <summary>The runs of days before <paramref name="cutoff"/> whose summaries may go: those whose periods are
    /// built for every source with roll-ups on the day (their uses, Reports.PeriodUses, were read from them). The
    /// summaries of a day not built yet (an import of last year's records, a store from before the uses) wait.</summary>
    /// <param name="cutoff">The first day kept whatever is built.</param>
    /// <param name="firstUnbuilt">The first day before <paramref name="cutoff"/> whose summaries wait; the cutoff when
    /// none does.</param>
    private List<(int From, int Before)> BuiltDaysBefore(int cutoff, out int firstUnbuilt)
    {
        var runs = new List<(int From, int Before)>();
        firstUnbuilt = cutoff;
        // The day index's first entry (Min throws on an empty collection).
        var oldest = _summaries.Query().OrderBy("day").Select("{ day: $.day }").Limit(1).ToEnumerable().FirstOrDefault()?["day"] ?? BsonValue.Null;
        if (!oldest.IsInt32 || oldest.AsInt32 >= cutoff)
        {
            return runs;
        }
        int start = -1;
        int last = Days.Number(cutoff);
        for (int n = Days.Number(oldest.AsInt32); n < last; n++)
        {
            var day = DateOnly.FromDayNumber(n);
            bool built = Enum.GetValues<RecordSource>().All(s => !HasDay(s, day) || PeriodBuilt(s, DayPeriod(day)));
            if (built && start < 0)
            {
                start = n;
            }
            else if (!built && start >= 0)
            {
                runs.Add((Days.FromNumber(start), Days.FromNumber(n)));
                start = -1;
            }
            if (!built && firstUnbuilt == cutoff)
            {
                firstUnbuilt = Days.FromNumber(n);
            }
        }
        if (start >= 0)
        {
            runs.Add((Days.FromNumber(start), cutoff));
        }
        return runs;
    }

    /// <summary>Deletes the rows <paramref name="query"/> finds, <see cref="PruneChunk"/> to a transaction; each row, as
    /// <paramref name="select"/> reads it (with its <c>id</c>), goes to <paramref name="deleting"/> in the transaction
    /// that deletes it.</summary>
    private int PruneWhere(ILiteCollection<BsonDocument> collection, BsonExpression query, string select = "{ id: $._id }", Action<BsonDocument>? deleting = null)
    {
        int deleted = 0;
        while (true)
        {
            int chunk;
            lock (_write)
            {
                var rows = collection.Query().Where(query).Select(select).Limit(PruneChunk).ToArray();
                if (rows.Length == 0)
                {
                    return deleted;
                }
                _db.BeginTrans();
                try
                {
                    foreach (var row in rows)
                    {
                        collection.Delete(row["id"]);
                        deleting?.Invoke(row);
                    }
                    _totals.Write();
                    _db.Commit();
                }
                catch
                {
                    _db.Rollback();
                    _totals.Discard();
                    throw;
                }
                _totals.Apply();
                chunk = rows.Length;
            }
            deleted += chunk;
        }
    }

    private static long FileBytes(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
