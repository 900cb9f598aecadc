using System.Runtime;

namespace Polaris.Agent.Serve.Receive;

/// <summary>Gives back to the system the memory that a large record file took, a while after the last one.</summary>
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

    /// <summary>How long after the last large file the memory goes back: past the default quiet time of a summary
    /// (2 s), so that what spooling the file's summary allocated goes too.</summary>
    public const int ReleaseAfterMs = 5000;

    /// <summary>The size the buffer goes back to.</summary>
    public const int UsualBytes = 64 * 1024;

    /// <summary>Shrinks <paramref name="buffer"/> and collects when a large file grew it; true when it did.</summary>
    public static bool Release(ref byte[] buffer)
    {
        if (buffer.Length <= LargeBytes)
        {
            return false;
        }
        buffer = new byte[UsualBytes];
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return true;
    }
}
