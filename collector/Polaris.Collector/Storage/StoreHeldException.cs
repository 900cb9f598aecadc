namespace Polaris.Collector.Storage;

/// <summary>The store cannot be opened because another process has it open (<see cref="StoreLock"/>).</summary>
public sealed class StoreHeldException : IOException
{
    public StoreHeldException(string message) : base(message) { }

    public StoreHeldException() { }

    public StoreHeldException(string message, Exception inner) : base(message, inner) { }
}
