using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

public sealed partial class CollectorStore
{
    /// <summary>Stores a batch unless its key was stored before, and counts what it stored. The facts and module
    /// tables are worked out before the write lock is taken, so that concurrent posts share the CPU; a summary that
    /// starts outside the retention window, or whose document LiteDB could not hold, is refused alone.</summary>
    /// <param name="batch">The summaries the decoder kept.</param>
    /// <param name="receivedAtUtc">When it arrived.</param>
    /// <param name="bytes">Its compressed size.</param>
    /// <param name="received">What the decoder refused and how its indices map to the sent ones; null when the batch
    /// is given whole (tests).</param>
    public IngestResult Ingest(Batch batch, DateTime receivedAtUtc, long bytes = 0, ReceivedBatch? received = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int receivedDay = Days.Of(receivedAtUtc);
        int today = Days.Number(receivedDay);
        var refused = new List<SummaryRefusal>();
        var prepared = new List<(int Index, ProcessSummary Summary, SummaryFacts Facts, ModuleTable Table)>(batch.Summaries.Count);
        for (int i = 0; i < batch.Summaries.Count; i++)
        {
            var summary = batch.Summaries[i];
            var facts = SummaryFactsBuilder.Of(summary, _domainOf, receivedDay);
            int day = Days.Number(facts.Day);
            if (day < today - _retentionDays || day > today + 1)
            {
                refused.Add(new SummaryRefusal(i, $"summary starts on {facts.Day}, outside the {_retentionDays} days kept before {receivedDay} (or more than a day ahead)", SummaryRefusalKind.OutOfBounds));
                continue;
            }
            prepared.Add((i, summary, facts, ModuleTable.Of(summary)));
        }
        int Sent(int index) => received?.SentIndex(index) ?? index;
        if (received != null)
        {
            refused = [.. received.Refused, .. refused.Select(r => r with { Index = received.SentIndex(r.Index) })];
        }
        lock (_write)
        {
            if (_batches.FindById(batch.Key) != null)
            {
                _metrics.Batch(duplicate: true, batch.Node, bytes, [], receivedAtUtc);
                return new IngestResult(batch.Summaries.Count, batch.Processes, Duplicate: true, new Dictionary<string, int>(), []);
            }
            var stored = new List<StoredSummary>(prepared.Count);
            long sequence = _sequence;
            int processes = 0;
            _db.BeginTrans();
            try
            {
                foreach (var (index, summary, facts, table) in prepared)
                {
                    var tableId = ResolveTable(table, facts.Day);
                    if (tableId == null)
                    {
                        refused.Add(new SummaryRefusal(Sent(index), "its module table takes more than the store holds in one document", SummaryRefusalKind.TooLarge));
                        continue;
                    }
                    var counted = Budgeted(facts);
                    var document = SummaryDocument.From(sequence + 1, summary, batch.Key, receivedAtUtc, tableId, counted);
                    // Only a summary of many members comes near LiteDB's document limit once its table is apart.
                    if (summary.Members.Count > 256 && BsonSerializer.Serialize(document).Length is var size && size > MaxDocumentBytes)
                    {
                        refused.Add(new SummaryRefusal(Sent(index), $"summary takes {size} bytes as a document; the store holds at most {MaxDocumentBytes}", SummaryRefusalKind.TooLarge));
                        continue;
                    }
                    _summaries.Insert(document);
                    sequence++;
                    processes += summary.Processes;
                    stored.Add(new StoredSummary(sequence, counted));
                }
                _batches.Insert(new BsonDocument
                {
                    ["_id"] = batch.Key,
                    ["node"] = batch.Node,
                    ["agent"] = batch.AgentVersion,
                    ["created"] = DateTimeOffset.FromUnixTimeMilliseconds(batch.CreatedAtMs).UtcDateTime,
                    ["recv"] = receivedAtUtc,
                    ["summaries"] = stored.Count,
                    ["processes"] = processes,
                    ["refused"] = refused.Count,
                    ["reasons"] = new BsonArray(refused.Select(r => new BsonValue((int)r.Kind))),
                    ["bytes"] = bytes,
                    ["bseq"] = _batchSequence + 1,
                });
                _meta.Upsert(new BsonDocument { ["_id"] = SequenceId, ["value"] = sequence, ["batches"] = _batchSequence + 1 });
                _db.Commit();
            }
            catch
            {
                _db.Rollback();
                _tableCache.Clear(); // tables put during the transaction may not be stored
                throw;
            }
            _sequence = sequence;
            _batchSequence++;
            refused.Sort((a, b) => a.Index.CompareTo(b.Index));
            foreach (var summary in stored)
            {
                Count(summary, receivedAtUtc);
            }
            _metrics.Batch(duplicate: false, batch.Node, bytes, refused, receivedAtUtc);
            _dirtyNodes[batch.Node] = receivedAtUtc;
            var perLibrary = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var library in stored.SelectMany(s => s.Facts.Libraries))
            {
                perLibrary[library.Name] = perLibrary.GetValueOrDefault(library.Name) + library.Processes;
            }
            return new IngestResult(stored.Count, processes, Duplicate: false, perLibrary, refused);
        }
    }

    /// <summary>Counts a stored summary in the metrics and queues it for the fold. Under the write lock.</summary>
    private void Count(StoredSummary summary, DateTime nowUtc)
    {
        var facts = summary.Facts;
        var job = facts.JobKey.Length > 0 ? Jobs.Get(facts.JobKey) : null;
        _metrics.Count(facts, job, nowUtc);
        _unfolded.Add(summary);
    }

    /// <summary>The facts with library names past the day's budget counted as <see cref="DailyLibraryBudget.Other"/>.</summary>
    private SummaryFacts Budgeted(SummaryFacts facts)
    {
        LibraryFacts[]? renamed = null;
        for (int i = 0; i < facts.Libraries.Count; i++)
        {
            var library = facts.Libraries[i];
            var name = _libraryBudget.Of(facts.Day, library.Name);
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
                if (BsonSerializer.Serialize(fresh).Length > MaxDocumentBytes)
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
