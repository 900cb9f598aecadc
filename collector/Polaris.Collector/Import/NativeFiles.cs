using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Polaris.Collector.Import;

/// <summary>The calls the walk needs and .NET does not give: <c>open(2)</c> with <c>O_NOFOLLOW</c> and
/// <c>O_NONBLOCK</c>, and <c>statx(2)</c> of a path without following a link or of an open descriptor.</summary>
/// <remarks>
/// <para>.NET opens a path following every link and blocks on a FIFO; its file information gives no inode or owner.
/// The walk examines a file, then opens it: between the two, the user who owns the folder can put a link or a FIFO in
/// its place. Opening with <c>O_NOFOLLOW | O_NONBLOCK</c> and examining the descriptor opened (<see cref="StatusOf"/>)
/// makes what is read the file examined, or nothing.</para>
/// <para><c>statx</c>'s layout is the same on every architecture (as in <c>Scheduler/FileSignature</c>); the open
/// flags are not: arm64 numbers <c>O_NOFOLLOW</c> and <c>O_DIRECTORY</c> otherwise than x86-64.</para>
/// </remarks>
internal static class NativeFiles
{
    /// <summary><c>ELOOP</c>: <c>O_NOFOLLOW</c> met a symbolic link.</summary>
    public const int ELoop = 40;

    /// <summary><c>ENOTDIR</c>: <c>O_DIRECTORY</c> met something else (with <c>O_NOFOLLOW</c>, a link too).</summary>
    public const int ENotDir = 20;

    /// <summary><c>ENOENT</c>.</summary>
    public const int ENoEnt = 2;

    /// <summary><c>EACCES</c>.</summary>
    public const int EAccess = 13;

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxBytes = 256;
    private const int ORdOnly = 0;
    private const int ONoCtty = 0x100;
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;

    private static readonly bool Arm = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;
    private static readonly int ONoFollow = Arm ? 0x8000 : 0x20000;
    private static readonly int ODirectory = Arm ? 0x4000 : 0x10000;

    /// <summary>Examines <paramref name="path"/>, following a final symbolic link or not.</summary>
    /// <returns>0, or the <c>errno</c> of the failure.</returns>
    public static int Status(string path, bool follow, out FileStatus status)
    {
        var buffer = new byte[StatxBytes];
        return Decode(statx(AtFdCwd, path, follow ? 0 : AtSymlinkNoFollow, StatxBasicStats, buffer), buffer, out status);
    }

    /// <summary>Examines the entry <paramref name="name"/> of the open folder <paramref name="folder"/>, never following
    /// a link: the entry of that very folder, whatever its path names now.</summary>
    /// <returns>0, or the <c>errno</c> of the failure.</returns>
    public static int Status(SafeFileHandle folder, string name, out FileStatus status)
    {
        var buffer = new byte[StatxBytes];
        return Decode(statxAt(folder, name, AtSymlinkNoFollow, StatxBasicStats, buffer), buffer, out status);
    }

    /// <summary>Examines the file <paramref name="handle"/> has open.</summary>
    /// <returns>0, or the <c>errno</c> of the failure.</returns>
    public static int StatusOf(SafeFileHandle handle, out FileStatus status)
    {
        var buffer = new byte[StatxBytes];
        return Decode(statxAt(handle, "", AtEmptyPath, StatxBasicStats, buffer), buffer, out status);
    }

    /// <summary>Opens a file to read without waiting (a FIFO opens at once, and is then seen for what it is), and
    /// without following a final link unless <paramref name="follow"/>.</summary>
    /// <returns>0, or the <c>errno</c> of the failure; <paramref name="handle"/> is null on failure.</returns>
    public static int OpenFile(string path, bool follow, out SafeFileHandle? handle) =>
        Open(path, ORdOnly | ONonBlock | ONoCtty | OCloExec | (follow ? 0 : ONoFollow), out handle);

    /// <summary>Opens a folder, to examine its entries through it; a final link is followed only when
    /// <paramref name="follow"/>.</summary>
    /// <returns>0, or the <c>errno</c> of the failure; <paramref name="handle"/> is null on failure.</returns>
    public static int OpenFolder(string path, bool follow, out SafeFileHandle? handle) =>
        Open(path, ORdOnly | ODirectory | OCloExec | (follow ? 0 : ONoFollow), out handle);

    private static int Open(string path, int flags, out SafeFileHandle? handle)
    {
        int fd = open(path, flags);
        if (fd < 0)
        {
            handle = null;
            return Marshal.GetLastPInvokeError();
        }
        handle = new SafeFileHandle(fd, ownsHandle: true);
        return 0;
    }

    private static int Decode(int result, ReadOnlySpan<byte> stx, out FileStatus status)
    {
        if (result != 0)
        {
            status = default;
            return Marshal.GetLastPInvokeError();
        }
        status = new FileStatus(
            Mode: BinaryPrimitives.ReadUInt16LittleEndian(stx[28..]),
            Device: ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(stx[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(stx[140..]),
            Inode: BinaryPrimitives.ReadUInt64LittleEndian(stx[32..]),
            Size: BinaryPrimitives.ReadInt64LittleEndian(stx[40..]),
            Uid: BinaryPrimitives.ReadUInt32LittleEndian(stx[20..]));
        return 0;
    }

    // DllImport rather than LibraryImport: the generated stub is unsafe code, which this project does not allow.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int statxAt(SafeFileHandle directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
