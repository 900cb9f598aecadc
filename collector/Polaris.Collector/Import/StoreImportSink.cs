using LiteDB;
using Polaris.Collector.Storage;
using Polaris.Wire;

namespace Polaris.Collector.Import;

/// <summary>Imports into a store this process opened: batches are prepared and committed a group at a time (one
/// transaction, one write to the disk, per <see cref="GroupSize"/> batches), folded every <see cref="FoldEvery"/>
/// summaries, and LiteDB's log checkpointed whenever it passes <c>maxLogBytes</c>.</summary>
/// <remarks>
/// The store holds every summary stored since its last fold in memory (for the fold to count), and LiteDB holds the
/// log's index until a checkpoint: a sink that folded only at the end grew to 3 GB of memory and an 865 MB log on a
/// large import. Folding as it goes keeps both bounded by the fold's interval, as the collector's own fold and
/// maintenance stage do (<see cref="StoreMaintenance"/>), which this process does not run.
/// </remarks>
/// <param name="store">The store, which the sink disposes.</param>
/// <param name="maxLogBytes">The log's bytes past which it is checkpointed (the setting <c>maxLogBytes</c>).</param>
/// <param name="foldEvery">Summaries committed between two folds.</param>
public sealed class StoreImportSink(CollectorStore store, long maxLogBytes, int foldEvery = StoreImportSink.FoldEvery) : IImportSink
{
    /// <summary>Batches per transaction.</summary>
    public const int GroupSize = 10;

    /// <summary>Summaries committed between two folds, by default: a few hundred MB of facts held at most, and a fold
    /// of about a second.</summary>
    public const int FoldEvery = 20_000;

    private readonly List<PreparedBatch> _pending = [];
    private readonly List<string> _reasons = [];
    private long _sinceFold;

    public long Stored { get; private set; }

    public long Duplicates { get; private set; }

    public long Refused { get; private set; }

    public IReadOnlyList<string> RefusalReasons => _reasons;

    /// <summary>Folds run so far, for tests and measurements.</summary>
    public int Folds { get; private set; }

    /// <summary>Checkpoints run so far, for tests and measurements.</summary>
    public int Checkpoints { get; private set; }

    public Task AddAsync(Batch batch)
    {
        _pending.Add(store.Prepare(batch, DateTime.UtcNow, 0, null, imported: true));
        if (_pending.Count >= GroupSize)
        {
            Commit();
            if (_sinceFold >= foldEvery || store.LogBytes > maxLogBytes)
            {
                Fold();
            }
        }
        return Task.CompletedTask;
    }

    public Task FlushAsync()
    {
        Commit();
        Fold();
        Checkpoint();
        return Task.CompletedTask;
    }

    private void Commit()
    {
        if (_pending.Count == 0)
        {
            return;
        }
        var results = store.Commit(_pending);
        for (int i = 0; i < results.Count; i++)
        {
            var result = results[i];
            int sent = _pending[i].Batch.Summaries.Count;
            // A batch seen before counts whole as imported before; otherwise what was neither stored nor refused was.
            Stored += result.Duplicate ? 0 : result.Summaries;
            Refused += result.Duplicate ? 0 : result.Refused.Count;
            Duplicates += result.Duplicate ? sent : sent - result.Summaries - result.Refused.Count;
            _sinceFold += result.Duplicate ? 0 : result.Summaries;
            foreach (var refusal in result.Refused.Take(Math.Max(0, 5 - _reasons.Count)))
            {
                _reasons.Add(refusal.Reason);
            }
        }
        _pending.Clear();
    }

    // The fold's own writes go to the log too: the checkpoint comes after it.
    private void Fold()
    {
        store.Fold();
        Folds++;
        _sinceFold = 0;
        if (store.LogBytes > maxLogBytes)
        {
            Checkpoint();
        }
    }

    private void Checkpoint()
    {
        store.Checkpoint(DateTime.UtcNow);
        Checkpoints++;
    }

    public void Dispose()
    {
        try
        {
            // After a failed import too: what was committed leaves the log for the database, rather than wait for
            // the next process to open the store.
            Checkpoint();
        }
        catch (Exception e) when (e is LiteException or IOException)
        {
            // The store failed already (and the import said so); LiteDB replays the log when next opened.
        }
        finally
        {
            store.Dispose();
        }
    }
}
