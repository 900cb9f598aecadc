using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Collector.Metrics;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

public sealed partial class CollectorStore
{
    /// <summary>Stores a batch unless its key was stored before, and counts what it stored (one transaction; the
    /// service commits groups of concurrent batches together through <see cref="GroupCommit"/>).</summary>
    public IngestResult Ingest(Batch batch, DateTime receivedAtUtc, long bytes = 0, ReceivedBatch? received = null, bool imported = false) =>
        Commit([Prepare(batch, receivedAtUtc, bytes, received, imported)])[0];

    /// <summary>Works out a batch's facts, module tables and documents, outside the write lock so that concurrent posts
    /// share the CPU; a summary that starts outside the retention window (or more than a day ahead) is counted on the
    /// day it arrived, one whose job id has no key (<see cref="Scheduler.JobKey.Of"/>) outside any job, and each clip
    /// counted.</summary>
    /// <param name="batch">The summaries the decoder kept.</param>
    /// <param name="receivedAtUtc">When it arrived.</param>
    /// <param name="bytes">Its compressed size.</param>
    /// <param name="received">What the decoder refused and how its indices map to the sent ones; null when the batch
    /// is given whole (tests).</param>
    /// <param name="imported">True for a batch of imported summaries (<c>POST /v1/imports</c>, the importers): it takes
    /// only summaries of another tool, which count on their own day within <c>rollupRetentionDays</c>; false for an
    /// agent's, which takes only the agent's. A summary of the other kind is refused alone.</param>
    public PreparedBatch Prepare(Batch batch, DateTime receivedAtUtc, long bytes = 0, ReceivedBatch? received = null, bool imported = false)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int receivedDay = Days.Of(receivedAtUtc);
        int today = Days.Number(receivedDay);
        var refused = new List<SummaryRefusal>(received?.Refused ?? []);
        var prepared = new List<PreparedBatch.PreparedSummary>(batch.Summaries.Count);
        int clippedTimes = 0, clippedJobIds = 0;
        // Imports bring years of another tool's records: each counts on its own day as long as roll-ups are kept.
        int oldest = today - (imported ? _rollupRetentionDays : _retentionDays);
        for (int i = 0; i < batch.Summaries.Count; i++)
        {
            var summary = batch.Summaries[i];
            int sent = received?.SentIndex(i) ?? i;
            if ((summary.Source != RecordSource.Agent) != imported)
            {
                refused.Add(new SummaryRefusal(sent, imported
                    ? "an import takes only summaries of another tool (src xalt or pymodulesnooper)"
                    : $"a summary of {summary.Source.Name()} is imported through POST /v1/imports with the admin token", SummaryRefusalKind.OutOfBounds));
                continue;
            }
            var facts = SummaryFactsBuilder.Of(summary, _domainOf, receivedDay);
            int day = Days.Number(facts.Day);
            if (day < oldest || day > today + 1)
            {
                // A clock that is wrong, or a record that lies: the processes ran, and are counted on the day they arrived
                // rather than on a day the roll-ups no longer keep (or years ahead).
                facts = facts with { Day = receivedDay };
                clippedTimes++;
            }
            if (facts.JobKey.Length == 0 && summary.Job.JobId.Length > 0)
            {
                clippedJobIds++; // an id the job key's rule refuses: counted outside any job
            }
            var document = SummaryDocument.From(0, summary, batch.Key, receivedAtUtc, "", facts);
            prepared.Add(new(sent, summary, facts, _recentTables.Of(summary), document));
        }
        return new PreparedBatch(batch, receivedAtUtc, bytes, refused, prepared) { ClippedTimes = clippedTimes, ClippedJobIds = clippedJobIds, Imported = imported };
    }

    /// <summary>Stores prepared batches in one transaction (one write to the disk for all of them), each unless its key
    /// was stored before, and counts what they stored; if the transaction fails nothing of it is stored or counted.</summary>
    public IReadOnlyList<IngestResult> Commit(IReadOnlyList<PreparedBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        lock (_write)
        {
            var results = new IngestResult[batches.Count];
            var stored = new List<StoredSummary>[batches.Count];
            var stale = new int[batches.Count];
            var keys = new HashSet<string>(StringComparer.Ordinal);
            long sequence = _sequence, batchSequence = _batchSequence;
            _db.BeginTrans();
            try
            {
                for (int b = 0; b < batches.Count; b++)
                {
                    var batch = batches[b];
                    var id = BatchId(batch);
                    if (!keys.Add(id) || _batches.FindById(id) != null)
                    {
                        results[b] = new IngestResult(batch.Batch.Summaries.Count, batch.Batch.Processes, Duplicate: true, new Dictionary<string, int>(), []);
                        continue;
                    }
                    stored[b] = Write(batch, ref sequence, ref batchSequence, out int processes, out var refused, out stale[b]);
                    results[b] = new IngestResult(stored[b].Count, processes, Duplicate: false, PerLibrary(stored[b]), refused);
                }
                _meta.Upsert(new BsonDocument { ["_id"] = SequenceId, ["value"] = sequence, ["batches"] = batchSequence });
                _db.Commit();
                _users.Committed();
            }
            catch
            {
                _db.Rollback();
                _tableCache.Clear(); // tables put during the transaction may not be stored
                _users.Forget(); // and names
                throw;
            }
            _sequence = sequence;
            _batchSequence = batchSequence;
            var counted = new List<CountedSummary>();
            for (int b = 0; b < batches.Count; b++)
            {
                var batch = batches[b];
                if (batch.Imported)
                {
                    // Another tool's past records: stored and folded into their source's roll-ups, never counted as
                    // what the agents send now (docs/analysis.md, "Metrics stay live").
                    _unfolded.AddRange(stored[b] ?? []);
                    continue;
                }
                if (results[b].Duplicate)
                {
                    _metrics.Batch(duplicate: true, batch.Batch.Node, batch.Bytes, [], batch.ReceivedAtUtc);
                    continue;
                }
                foreach (var summary in stored[b])
                {
                    var facts = summary.Facts;
                    counted.Add(new CountedSummary(facts, facts.JobKey.Length > 0 ? Jobs.Get(facts.JobKey) : null, batch.ReceivedAtUtc, summary.First));
                    _unfolded.Add(summary);
                }
                _metrics.LiveVersions(stored[b].Count(s => !s.First), stale[b]);
                _metrics.Batch(duplicate: false, batch.Batch.Node, batch.Bytes, results[b].Refused, batch.ReceivedAtUtc);
                _metrics.Clipped("start_time", batch.ClippedTimes);
                _metrics.Clipped("job_id", batch.ClippedJobIds);
                NoteNode(batch.Batch.Node, batch.ReceivedAtUtc);
            }
            _metrics.Count(counted);
            return results;
        }
    }

    private List<StoredSummary> Write(PreparedBatch batch, ref long sequence, ref long batchSequence, out int processes, out SummaryRefusal[] refusals, out int stale)
    {
        stale = 0;
        var stored = new List<StoredSummary>(batch.Summaries.Count);
        var refused = new List<SummaryRefusal>(batch.Refused);
        processes = 0;
        foreach (var (index, summary, prepared, table, document) in batch.Summaries)
        {
            // An imported record is one version, final: stored once, whichever batch brings it again.
            var importedSid = batch.Imported ? summary.SummaryId : null;
            if (importedSid != null && _importedIds.Contains(summary.Source, importedSid))
            {
                stale++;
                continue;
            }
            var facts = prepared;
            if (summary.Source == RecordSource.Agent)
            {
                _users.Learn(summary.User, summary.Uid, prepared.Day);
            }
            else
            {
                facts = facts with { Uid = _users.NumberOf(summary.User, facts.Day) };
                FactsDocument.Write(document, facts);
            }
            var tableId = ResolveTable(table, facts.Day);
            if (tableId == null)
            {
                refused.Add(new SummaryRefusal(index, "its module table takes more than the store holds in one document", SummaryRefusalKind.TooLarge));
                continue;
            }
            var counted = Budgeted(facts);
            if (!ReferenceEquals(counted, facts))
            {
                FactsDocument.Write(document, counted);
            }
            // Keyed by the posting node too: another node's agent cannot name this one's summary and so stop it counting.
            // Imported summaries keep no live state (ImportedSummaryIds): an agent's batch cannot reach theirs.
            var liveKey = !batch.Imported && summary.SummaryId is { } sid ? $"{batch.Batch.Node}/{sid}" : null;
            var live = liveKey != null ? _live.FindById(liveKey) : null;
            if (live != null && live["ver"].AsInt64 >= summary.Version)
            {
                stale++;
                continue; // an older or repeated version of a live summary: its newer one is counted already
            }
            var adds = live == null ? counted : FactsDelta.Between(counted, FactsDocument.ReadCounted(live));
            document["_id"] = sequence + 1;
            document["table"] = tableId;
            if (summary.SummaryId != null)
            {
                document["sid"] = summary.SummaryId;
                document["ver"] = (long)summary.Version;
                document["final"] = summary.Final;
                document["first"] = live == null;
                FactsDocument.WriteCounted(document, "adds", adds);
            }
            // Only a summary of many members comes near LiteDB's document limit once its table is apart.
            if (summary.Members.Count > 256 && BsonSerializer.Serialize(document).Length is var size && size > MaxDocumentBytes)
            {
                refused.Add(new SummaryRefusal(index, $"summary takes {size} bytes as a document; the store holds at most {MaxDocumentBytes}", SummaryRefusalKind.TooLarge));
                continue;
            }
            _summaries.Insert(document);
            sequence++;
            processes += adds.Processes;
            if (liveKey != null)
            {
                Supersede(live, liveKey, summary, counted, sequence, batch.ReceivedAtUtc);
            }
            else if (importedSid != null)
            {
                _importedIds.Add(summary.Source, importedSid, counted.Day);
            }
            stored.Add(new StoredSummary(sequence, adds, First: live == null));
        }
        batchSequence++;
        refusals = [.. refused.OrderBy(r => r.Index)];
        _batches.Insert(new BsonDocument
        {
            ["_id"] = BatchId(batch),
            ["node"] = batch.Batch.Node,
            ["agent"] = batch.Batch.AgentVersion,
            ["created"] = DateTimeOffset.FromUnixTimeMilliseconds(batch.Batch.CreatedAtMs).UtcDateTime,
            ["recv"] = batch.ReceivedAtUtc,
            ["summaries"] = stored.Count,
            ["processes"] = processes,
            ["refused"] = refusals.Length,
            ["reasons"] = new BsonArray(refusals.Select(r => new BsonValue((int)r.Kind))),
            ["bytes"] = batch.Bytes,
            ["bseq"] = batchSequence,
            ["clipped"] = batch.ClippedTimes,
            ["clippedjob"] = batch.ClippedJobIds,
            ["imp"] = batch.Imported,
        });
        return stored;
    }

    /// <summary>The batch's id in <c>batches</c>: an import's key under <c>import:</c>, which no key an agent may send
    /// holds (<see cref="Ingest.BatchKey"/> allows no colon), so an agent's batch cannot take an import's key first and
    /// have it taken for a duplicate.</summary>
    private static string BatchId(PreparedBatch batch) => batch.Imported ? "import:" + batch.Batch.Key : batch.Batch.Key;

    private static Dictionary<string, int> PerLibrary(List<StoredSummary> stored)
    {
        var perLibrary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var library in stored.SelectMany(s => s.Facts.Libraries))
        {
            perLibrary[library.Name] = perLibrary.GetValueOrDefault(library.Name) + library.Processes;
        }
        return perLibrary;
    }

    /// <summary>Notes the version of a live summary just stored as the one counted, and marks the version it replaces
    /// superseded (deleted once the fold has counted what it added). Under the write lock, in the batch's transaction.</summary>
    private void Supersede(BsonDocument? live, string liveKey, ProcessSummary summary, SummaryFacts counted, long sequence, DateTime receivedAtUtc)
    {
        if (live != null && _summaries.FindById(live["seq"]) is { } previous)
        {
            previous["sup"] = true;
            _summaries.Update(previous);
            _superseded.Add(previous["_id"].AsInt64);
        }
        var state = new BsonDocument
        {
            ["_id"] = liveKey,
            ["ver"] = (long)summary.Version,
            ["final"] = summary.Final,
            ["seq"] = sequence,
            ["recv"] = receivedAtUtc,
        };
        FactsDocument.WriteCounted(state, "counted", counted);
        _live.Upsert(state);
    }

    /// <summary>Notes a node's batch for the fold to store, when the node has a label (no other has a series to restore).</summary>
    private void NoteNode(string node, DateTime receivedAtUtc)
    {
        if (_metrics.HasNodeLabel(node))
        {
            _nodeLast.Note(node, receivedAtUtc);
        }
    }

    /// <summary>The facts with library names past the day's budget of their source counted as <see cref="DailyLibraryBudget.Other"/>.</summary>
    private SummaryFacts Budgeted(SummaryFacts facts)
    {
        LibraryFacts[]? renamed = null;
        var budget = _libraryBudgets[facts.Source];
        for (int i = 0; i < facts.Libraries.Count; i++)
        {
            var library = facts.Libraries[i];
            var name = budget.Of(facts.Day, library.Name, facts.Uid);
            if (!ReferenceEquals(name, library.Name) && name != library.Name)
            {
                renamed ??= [.. facts.Libraries];
                renamed[i] = library with { Name = name };
            }
        }
        return renamed == null ? facts : facts with { Libraries = renamed };
    }

    /// <summary>The id under which <paramref name="table"/> is stored, storing it when new; null when it cannot be
    /// stored. Under the write lock, in the batch's transaction.</summary>
    private string? ResolveTable(ModuleTable table, int day)
    {
        for (int attempt = 0; attempt < 4; attempt++)
        {
            var id = attempt == 0 ? table.Hash : $"{table.Hash}-{attempt}";
            if (_tableCache.TryGet(id, out var cached, out int lastDay))
            {
                if (!cached.SameContent(table))
                {
                    continue; // a crafted collision: this content gets a key of its own
                }
                if (lastDay < day)
                {
                    Touch(id, day);
                    _tableCache.Put(id, cached, day);
                }
                return id;
            }
            var document = _tables.FindById(id);
            if (document == null)
            {
                var fresh = table.ToDocument(id, day);
                if (table.DocumentBytesAtMost > MaxDocumentBytes && BsonSerializer.Serialize(fresh).Length > MaxDocumentBytes)
                {
                    return null;
                }
                _tables.Insert(fresh);
                _tableCache.Put(id, table, day);
                return id;
            }
            if (ModuleTable.FromDocument(document) is { } stored && stored.SameContent(table))
            {
                int last = document["last"].AsInt32;
                if (last < day)
                {
                    Touch(id, day);
                }
                _tableCache.Put(id, stored, Math.Max(last, day));
                return id;
            }
        }
        return null;
    }

    private void Touch(string id, int day)
    {
        if (_tables.FindById(id) is { } document)
        {
            document["last"] = day;
            _tables.Update(document);
        }
    }
}
