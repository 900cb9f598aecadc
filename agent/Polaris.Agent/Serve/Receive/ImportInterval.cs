namespace Polaris.Agent.Serve.Receive;

/// <summary>When one import began and ended (the process's monotonic clock, ns) and on which thread, as the hook read
/// them; both 0 for a module loaded before the hook.</summary>
/// <remarks>Three longs in this order: <see cref="ImportClock"/> reads the hook's columns straight into them.</remarks>
internal record struct ImportInterval(long Start, long End, long Thread)
{
    /// <summary>True when the hook timed the import.</summary>
    public readonly bool IsTimed => End > Start;
}
