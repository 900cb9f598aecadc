namespace Polaris.Collector.Ingest;

/// <summary>What one request holds of the <see cref="IngestBudget"/>; disposing gives it back.</summary>
public sealed class IngestLease : IDisposable
{
    private readonly IngestBudget _budget;
    private long _held;

    internal IngestLease(IngestBudget budget) => _budget = budget;

    /// <summary>Takes <paramref name="bytes"/> more.</summary>
    /// <exception cref="IngestBudgetExceededException">The budget has not that much left.</exception>
    public void Take(int bytes)
    {
        if (!_budget.TryTake(bytes))
        {
            throw new IngestBudgetExceededException(
                $"the collector holds {_budget.Taken} of its {_budget.Capacity} bytes for batches in flight; {bytes} more do not fit");
        }
        _held += bytes;
    }

    public void Dispose()
    {
        _budget.Give(_held);
        _held = 0;
    }
}
