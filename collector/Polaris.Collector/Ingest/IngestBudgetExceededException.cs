namespace Polaris.Collector.Ingest;

/// <summary>A request needs more memory than the <see cref="IngestBudget"/> has left: answer 503, the agent retries.</summary>
public sealed class IngestBudgetExceededException : Exception
{
    public IngestBudgetExceededException(string message) : base(message) { }

    public IngestBudgetExceededException() { }

    public IngestBudgetExceededException(string message, Exception inner) : base(message, inner) { }
}
