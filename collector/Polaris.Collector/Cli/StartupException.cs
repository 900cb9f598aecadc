namespace Polaris.Collector.Cli;

/// <summary>The settings are right but the collector cannot start (a port in use, a data folder it cannot write, a
/// store it cannot open); the message says why. The command line exits 1 with it, where a wrong setting exits 2.</summary>
public sealed class StartupException : Exception
{
    public StartupException(string message) : base(message) { }

    public StartupException() { }

    public StartupException(string message, Exception inner) : base(message, inner) { }
}
