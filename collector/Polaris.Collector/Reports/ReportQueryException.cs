namespace Polaris.Collector.Reports;

/// <summary>A report query refused for a reason its asker can fix (a wrong date, a span too long, a report that needs
/// a library): the only exception whose message reaches a client (the API's 400, the command line's usage error).
/// Any other exception from a report is a bug and is not dressed as the query's fault.</summary>
public sealed class ReportQueryException : Exception
{
    public ReportQueryException()
    {
    }

    public ReportQueryException(string message) : base(message)
    {
    }

    public ReportQueryException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
