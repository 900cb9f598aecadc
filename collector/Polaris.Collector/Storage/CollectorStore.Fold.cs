using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

public sealed partial class CollectorStore
{
    /// <summary>Folds the summaries stored since the last fold into the daily roll-ups, and stores the counters, the
    /// jobs, the nodes' last batches and the watermark, in one transaction.</summary>
    /// <returns>Summaries folded.</returns>
    public int Fold()
    {
        lock (_write)
        {
            int folded = _unfolded.Count;
            _db.BeginTrans();
            try
            {
                FoldRollups(_unfolded);
                _totals.Write();
                _metrics.Persist(_series, _meta);
                Jobs.Persist();
                _nodeLast.Write();
                _meta.Upsert(new BsonDocument { ["_id"] = WatermarkId, ["value"] = _sequence, ["batches"] = _batchSequence });
                // Versions of live summaries that a newer one replaced: what they added is folded now.
                foreach (var id in _superseded)
                {
                    _summaries.Delete(id);
                }
                _db.Commit();
            }
            catch
            {
                _db.Rollback();
                _totals.Discard();
                throw;
            }
            _totals.Apply();
            _nodeLast.Committed();
            _unfolded.Clear();
            _superseded.Clear();
            return folded;
        }
    }

    /// <summary>At start: sets the metrics from what the last fold stored, then counts again every summary stored after
    /// it (a crash between a batch and the next fold), and folds them.</summary>
    public void Recover(DateTime nowUtc, TimeSpan homeQuiet)
    {
        lock (_write)
        {
            _metrics.Restore(_series, _meta);
            int today = Days.Number(Days.Of(nowUtc));
            foreach (var document in _rollups.Find(Query.GTE("day", Days.FromNumber(today - 29))))
            {
                var rollup = RollupDay.FromDocument(document);
                _metrics.RestoreWindow(rollup.Library, rollup.Day, rollup.Users.Select(u => (uint)u), rollup.Jobs);
            }
            foreach (var (node, last) in _nodeLast.Load())
            {
                _metrics.RestoreNode(node, last);
            }
            Jobs.LoadHomeLoading(nowUtc - homeQuiet);
            foreach (var job in Jobs.Cached)
            {
                _metrics.HomeLoading.Update(job, nowUtc);
            }
            _superseded.AddRange(_summaries.Find(Query.EQ("sup", true)).Select(d => d["_id"].AsInt64));
            var folded = _meta.FindById(WatermarkId);
            long watermark = folded?["value"].AsInt64 ?? 0;
            long batchWatermark = folded?["batches"].AsInt64 ?? 0;
            foreach (var batch in _batches.Find(Query.GT("bseq", batchWatermark)))
            {
                if (batch["imp"].IsBoolean && batch["imp"].AsBoolean)
                {
                    continue; // an import: never in the metrics
                }
                var refusals = batch["reasons"].AsArray.Select((r, i) => new SummaryRefusal(i, "", (SummaryRefusalKind)r.AsInt32)).ToArray();
                var at = batch["recv"].AsDateTime.ToUniversalTime();
                _metrics.Batch(duplicate: false, batch["node"].AsString, batch["bytes"].AsInt64, refusals, at);
                _metrics.Clipped("start_time", batch["clipped"].IsNumber ? batch["clipped"].AsInt32 : 0);
                _metrics.Clipped("job_id", batch["clippedjob"].IsNumber ? batch["clippedjob"].AsInt32 : 0);
                NoteNode(batch["node"].AsString, at);
            }
            foreach (var document in _summaries.Find(Query.GT("_id", watermark)))
            {
                var summary = new StoredSummary(document["_id"].AsInt64, FactsDocument.Read(document), First: !document["first"].IsBoolean || document["first"].AsBoolean);
                // Counted as it was first counted: at the time it was received.
                var facts = summary.Facts;
                if (facts.Source == RecordSource.Agent)
                {
                    _metrics.Count(facts, facts.JobKey.Length > 0 ? Jobs.Get(facts.JobKey) : null, document["recv"].AsDateTime.ToUniversalTime(), summary.First);
                }
                _unfolded.Add(summary);
            }
        }
        Fold();
    }

    private void FoldRollups(List<StoredSummary> summaries)
    {
        var days = new Dictionary<(RecordSource, string), RollupDay>();
        foreach (var (_, facts, _) in summaries)
        {
            // The running totals (/v1/libraries) are the agent's, as the roll-ups they are built from.
            bool agent = facts.Source == RecordSource.Agent;
            Rollup(days, facts.Source, facts.Day, "").Add(facts, null);
            if (agent)
            {
                _totals.Stage("", facts.Processes);
            }
            foreach (var library in facts.Libraries)
            {
                Rollup(days, facts.Source, facts.Day, library.Name).Add(facts, library);
                if (agent)
                {
                    _totals.Stage(library.Name, library.Processes);
                }
            }
        }
        foreach (var ((source, _), rollup) in days)
        {
            RollupsOf(source).Upsert(rollup.ToDocument());
        }
        PeriodsChanged(days.Select(d => (d.Key.Item1, d.Value.Day)));
    }

    private ILiteCollection<BsonDocument> RollupsOf(RecordSource source) =>
        source == RecordSource.Agent ? _rollups : _importedRollups[source];

    private RollupDay Rollup(Dictionary<(RecordSource, string), RollupDay> days, RecordSource source, int day, string library)
    {
        var id = RollupDay.IdOf(day, library);
        if (!days.TryGetValue((source, id), out var rollup))
        {
            rollup = RollupsOf(source).FindById(id) is { } document ? RollupDay.FromDocument(document) : new RollupDay(day, library);
            days.Add((source, id), rollup);
        }
        return rollup;
    }
}
