namespace Polaris.Collector.Ingest;

/// <summary>A request needs more memory than the whole <see cref="IngestBudget"/>, alone: the bytes are at fault
/// (a batch of tiny entries that decodes to many times its size), answer 400.</summary>
public sealed class IngestRequestTooLargeException : Exception
{
    public IngestRequestTooLargeException(string message) : base(message) { }

    public IngestRequestTooLargeException() { }

    public IngestRequestTooLargeException(string message, Exception inner) : base(message, inner) { }
}
