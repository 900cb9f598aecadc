namespace Polaris.Collector.Cli;

/// <summary>The command line is wrong; the message says what to change.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }

    public UsageException() { }

    public UsageException(string message, Exception inner) : base(message, inner) { }
}
