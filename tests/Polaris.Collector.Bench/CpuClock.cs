using System.Diagnostics;

namespace Polaris.Collector.Bench;

/// <summary>Adds up the CPU time the whole process uses, and the bytes this thread allocates, between
/// <see cref="Start"/> and <see cref="Stop"/>.</summary>
internal sealed class CpuClock
{
    private TimeSpan _startedAt;
    private long _allocatedAt;

    public TimeSpan Elapsed { get; private set; }

    public long Allocated { get; private set; }

    public void Start()
    {
        _startedAt = Process.GetCurrentProcess().TotalProcessorTime;
        _allocatedAt = GC.GetAllocatedBytesForCurrentThread();
    }

    public void Stop()
    {
        Elapsed += Process.GetCurrentProcess().TotalProcessorTime - _startedAt;
        Allocated += GC.GetAllocatedBytesForCurrentThread() - _allocatedAt;
    }
}
