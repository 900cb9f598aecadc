using Polaris.Collector.Jobs;
using Polaris.Collector.Scheduler;

namespace Polaris.Collector.Storage;

public sealed partial class CollectorStore
{
    /// <summary>Accounting records stored per transaction: a log of millions of lines holds the write lock for one
    /// small transaction at a time, and batches are stored in between.</summary>
    public const int PbsRecordsPerTransaction = 1000;

    /// <summary>Stores the accounting records that win for their jobs (<see cref="PbsJobRecord.Supersedes"/>) in the
    /// <c>pbs</c> collection and attaches them to the jobs the collector has seen; a job not seen yet starts from its
    /// record when its summaries come (<see cref="JobRegistry.Get"/>). A home-loading series whose job ended goes.</summary>
    /// <remarks>The records are read as they are enumerated, outside the write lock, and stored
    /// <see cref="PbsRecordsPerTransaction"/> to a transaction; a record equal to the one stored changes nothing, so
    /// importing a log again, or after a failure part way, is safe.</remarks>
    /// <param name="records">The records, in log order.</param>
    /// <param name="nowUtc">Now: when the records were imported (retention counts from it), and for the home-loading
    /// series.</param>
    /// <exception cref="LiteDB.LiteException">The store failed; what earlier transactions stored stays.</exception>
    public PbsJobTally ImportPbs(IEnumerable<PbsJobRecord> records, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(records);
        var tally = new PbsJobTally();
        var chunk = new List<PbsJobRecord>(PbsRecordsPerTransaction);
        foreach (var record in records)
        {
            chunk.Add(record);
            if (chunk.Count == PbsRecordsPerTransaction)
            {
                StorePbs(chunk, tally, nowUtc);
                chunk.Clear();
            }
        }
        if (chunk.Count > 0)
        {
            StorePbs(chunk, tally, nowUtc);
        }
        return tally;
    }

    private void StorePbs(List<PbsJobRecord> chunk, PbsJobTally tally, DateTime nowUtc)
    {
        var won = new List<(PbsJobRecord Record, JobState? Stored)>(chunk.Count);
        lock (_write)
        {
            _db.BeginTrans();
            try
            {
                foreach (var record in chunk)
                {
                    if (_pbs.FindById(record.JobKey) is { } known && !record.Supersedes(PbsRecordDocument.Read(known)))
                    {
                        tally.Known();
                        continue;
                    }
                    _pbs.Upsert(PbsRecordDocument.Write(record, nowUtc));
                    var stored = Jobs.AccountStored(record);
                    tally.Took(record.JobKey, seen: stored != null || Jobs.Holds(record.JobKey));
                    won.Add((record, stored));
                }
                _db.Commit();
            }
            catch
            {
                _db.Rollback();
                throw;
            }
            // Only once committed: a job in memory that took a record the store lost would differ from the store.
            Accounted(won.Select(w => w.Record));
            foreach (var (record, stored) in won)
            {
                if ((Jobs.AccountCached(record) ?? stored) is { } job)
                {
                    _metrics.HomeLoading.Update(job, nowUtc);
                }
            }
        }
    }
}
