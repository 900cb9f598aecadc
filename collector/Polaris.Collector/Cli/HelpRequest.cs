namespace Polaris.Collector.Cli;

/// <summary><c>--help</c> or <c>-h</c> stood where an option may: the command prints its usage and exits 0.</summary>
public sealed class HelpRequest : Exception
{
    public HelpRequest() : base("help requested") { }

    public HelpRequest(string message) : base(message) { }

    public HelpRequest(string message, Exception inner) : base(message, inner) { }
}
