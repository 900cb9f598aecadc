namespace Polaris.Collector.Ingest;

/// <summary>What one request holds of the <see cref="IngestBudget"/>; disposing gives it back.</summary>
public sealed class IngestLease : IDisposable
{
    private readonly IngestBudget _budget;
    private long _held;

    internal IngestLease(IngestBudget budget) => _budget = budget;

    /// <summary>Bytes this request holds.</summary>
    public long Held => _held;

    /// <summary>Takes <paramref name="bytes"/> more.</summary>
    /// <exception cref="IngestBudgetExceededException">The budget has not that much left.</exception>
    /// <exception cref="IngestRequestTooLargeException">This request would hold more than the whole budget: it could
    /// never be taken, and a 503 would have the agent retry it for ever.</exception>
    public void Take(int bytes)
    {
        if (bytes > _budget.Capacity - _held)
        {
            throw new IngestRequestTooLargeException(
                $"the batch needs more than the {_budget.Capacity} bytes the collector holds for all batches in flight ({_held} taken, {bytes} more)");
        }
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
