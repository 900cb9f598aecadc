using System.Runtime;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Gives back to the system the memory that a large record file took, and again a while later.</summary>
/// <remarks>
/// The reading buffer grows to the largest file read (up to <c>maxRecordBytes</c>, 8 MiB), and a forged record of
/// hundreds of thousands of modules leaves large arrays behind on the large object heap, which the runtime neither
/// compacts nor returns on its own: one such file used to keep the daemon hundreds of megabytes larger for good. Real
/// records are some 100 KB, so this runs only after a user wrote a file past <see cref="LargeBytes"/>: the buffer
/// goes back to its usual size and one aggressive collection (which compacts the large object heap and decommits
/// what it freed) brings the daemon back to where it was. It costs a few milliseconds for a file that took tens of
/// milliseconds to read and parse, so the cost per byte an attacker controls stays flat.
/// </remarks>
internal static class LargeRecordMemory
{
    /// <summary>Files past this size make the buffer large enough to be given back.</summary>
    public const int LargeBytes = 1024 * 1024;

    /// <summary>How long after a large file the memory goes back once more: past the default quiet time of a summary
    /// (2 s), so that what spooling the file's summary allocated goes too.</summary>
    public const int ReleaseAgainAfterMs = 5000;

    /// <summary>The size the buffer goes back to.</summary>
    public const int UsualBytes = 64 * 1024;

    /// <summary>Shrinks <paramref name="buffer"/> and collects.</summary>
    public static void Release(ref byte[] buffer)
    {
        buffer = new byte[UsualBytes];
        Collect();
    }

    /// <summary>One aggressive collection: the large object heap is compacted and what was freed goes back to the system.</summary>
    public static void Collect()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
