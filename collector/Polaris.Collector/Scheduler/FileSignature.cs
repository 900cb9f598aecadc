using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Polaris.Collector.Scheduler;

/// <summary>What tells one state of a file from another without reading it: its inode, size, and modification and
/// change times, from <c>statx</c> (following symlinks, as a configuration swapped by symlink must be seen).</summary>
/// <remarks>
/// .NET gives neither the inode nor the change time, and reports a symlink's own times; with size and modification
/// time alone, a file renamed over the old one (<c>mv new.csv domains.csv</c>) that happens to have the same size
/// and time stamp would pass unseen. The <c>statx</c> layout is the same on every architecture, unlike
/// <c>struct stat</c>'s.
/// </remarks>
/// <param name="Exists">The path names a file that could be examined; every other field is zero when not.</param>
/// <param name="IsRegularFile">A regular file: a FIFO or device could block a reader or never end.</param>
/// <param name="Inode">The inode number, with <paramref name="Device"/> the file's identity.</param>
/// <param name="Device">The device, major and minor.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Modified">Modification time, nanoseconds since the Unix epoch.</param>
/// <param name="Changed">Status change time (a rename, a <c>touch -d</c>), nanoseconds since the Unix epoch.</param>
internal readonly record struct FileSignature(bool Exists, bool IsRegularFile, ulong Inode, ulong Device, long Size, long Modified, long Changed)
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxBytes = 256;
    private const int ENOENT = 2;

    /// <summary>The signature of the file at <paramref name="path"/>.</summary>
    /// <param name="path">The file; a symlink is followed.</param>
    /// <param name="error">Why the file could not be examined; null when it was, or when it does not exist.</param>
    public static FileSignature Of(string path, out string? error)
    {
        var buffer = new byte[StatxBytes];
        error = null;
        if (statx(AtFdCwd, path, 0, StatxBasicStats, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            error = errno == ENOENT ? null : $"cannot examine it: {Marshal.GetPInvokeErrorMessage(errno)}";
            return default;
        }
        ReadOnlySpan<byte> stx = buffer;
        ushort mode = BinaryPrimitives.ReadUInt16LittleEndian(stx[28..]);
        return new FileSignature(
            Exists: true,
            IsRegularFile: (mode & 0xF000) == 0x8000,
            Inode: BinaryPrimitives.ReadUInt64LittleEndian(stx[32..]),
            Device: ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(stx[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(stx[140..]),
            Size: BinaryPrimitives.ReadInt64LittleEndian(stx[40..]),
            Modified: Nanoseconds(stx[112..]),
            Changed: Nanoseconds(stx[96..]));
    }

    // struct statx_timestamp: tv_sec (s64), tv_nsec (u32). Saturates rather than throws: a signature only compares.
    private static long Nanoseconds(ReadOnlySpan<byte> timestamp)
    {
        long seconds = BinaryPrimitives.ReadInt64LittleEndian(timestamp);
        uint nanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(timestamp[8..]);
        return seconds is > long.MaxValue / 1_000_000_000 or < long.MinValue / 1_000_000_000 ? seconds : (seconds * 1_000_000_000) + nanoseconds;
    }

    // DllImport rather than LibraryImport: the generated stub is unsafe code, which this project does not allow, and
    // runtime marshalling of a string and a byte array needs none.
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
