using Polaris.Collector.Storage;
using Polaris.Wire;

namespace Polaris.Collector.Import;

/// <summary>Imports into a store this process opened: batches are prepared and committed a group at a time (one
/// transaction, one write to the disk, per <see cref="GroupSize"/> batches), then folded.</summary>
public sealed class StoreImportSink(CollectorStore store) : IImportSink
{
    /// <summary>Batches per transaction.</summary>
    public const int GroupSize = 10;

    private readonly List<PreparedBatch> _pending = [];
    private readonly List<string> _reasons = [];

    public long Stored { get; private set; }

    public long Duplicates { get; private set; }

    public long Refused { get; private set; }

    public IReadOnlyList<string> RefusalReasons => _reasons;

    public Task AddAsync(Batch batch)
    {
        _pending.Add(store.Prepare(batch, DateTime.UtcNow, 0, null, imported: true));
        if (_pending.Count >= GroupSize)
        {
            Commit();
        }
        return Task.CompletedTask;
    }

    public Task FlushAsync()
    {
        Commit();
        store.Fold();
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
            foreach (var refusal in result.Refused.Take(Math.Max(0, 5 - _reasons.Count)))
            {
                _reasons.Add(refusal.Reason);
            }
        }
        _pending.Clear();
    }

    public void Dispose() => store.Dispose();
}
