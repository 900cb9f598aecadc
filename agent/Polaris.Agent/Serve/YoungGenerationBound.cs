namespace Polaris.Agent.Serve;

/// <summary>Keeps the garbage collector's youngest generation small: it is collected after every few megabytes the
/// daemon allocates.</summary>
/// <remarks>
/// The runtime sizes the youngest generation from the CPU's cache, or at 6 MB when it cannot tell (as on virtual
/// machines), and the pages it has touched stay resident; the default collector ignores the setting that would
/// bound it. While the daemon takes in thousands of records a second, that was a fifth of its resident memory.
/// Collecting after every 2 MB costs a collection of a few hundred microseconds per 300 records of 600 modules, and
/// the smaller generation stays in the CPU's cache (scripts/daemon-throughput.sh: peak 31 → 27 MiB at the same
/// rate). An idle daemon allocates nothing, so nothing is collected. Not thread-safe: one per thread that calls it.
/// </remarks>
internal sealed class YoungGenerationBound(long bytes = 2 * 1024 * 1024)
{
    private long _next = GC.GetTotalAllocatedBytes() + bytes;

    /// <summary>Collects the youngest generation when the daemon has allocated the bound since the last time.</summary>
    public void Check()
    {
        if (GC.GetTotalAllocatedBytes() < _next)
        {
            return;
        }
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        _next = GC.GetTotalAllocatedBytes() + bytes;
    }
}
