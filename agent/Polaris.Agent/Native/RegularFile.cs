using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Polaris.Agent.Native;

/// <summary>Opens and reads files whose paths come from users: it never blocks on a FIFO, never follows a final
/// symlink, and never reads more than asked.</summary>
/// <remarks>
/// The daemon runs as root and reads paths a user's process named (<c>PBS_NODEFILE</c>, <c>sys.prefix</c>'s
/// <c>conda-meta</c>) or files a user put in the drop folder. <c>File.ReadAllBytes</c> would wait forever on a FIFO
/// planted there, and a check before the open would race with a rename; so the file is opened non-blocking and
/// checked through its descriptor.
/// </remarks>
public static class RegularFile
{
    /// <summary>ELOOP: <c>open</c> met a symlink it was told not to follow.</summary>
    public const int SymlinkError = 40;

    /// <summary>Opens <paramref name="path"/> for reading without following a final symlink; null (and the errno) when
    /// that fails. <paramref name="status"/> describes the file actually opened.</summary>
    public static SafeFileHandle? Open(string path, out FileStatus status, out int error) => OpenIn(null, path, out status, out error);

    /// <summary>Opens <paramref name="name"/> in <paramref name="folder"/> (an open folder; the working directory when
    /// null) as <see cref="Open"/> does. A reader of one folder's files spares the kernel a walk down the whole path
    /// for each.</summary>
    public static unsafe SafeFileHandle? OpenIn(SafeFileHandle? folder, string name, out FileStatus status, out int error)
    {
        status = default;
        error = 0;
        if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal))
        {
            error = 2;
            return null;
        }
        int fd;
        // A file's name (at most 255 bytes) fits on the stack: no native allocation per file.
        var utf8 = NativeStrings.Utf8(name, stackalloc byte[256]);
        const int Flags = Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_NOFOLLOW | Libc.O_CLOEXEC;
        fixed (byte* path = utf8)
        {
            fd = folder == null ? Libc.open(path, Flags, 0) : Libc.openat(folder, path, Flags, 0);
            error = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        if (fd < 0)
        {
            return null;
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (FileStatus.Of(fd) is not { } opened)
        {
            handle.Dispose();
            return null;
        }
        status = opened;
        return handle;
    }

    /// <summary>Removes <paramref name="name"/> from <paramref name="folder"/> (an open folder), looking up that one
    /// name only; a file already gone counts as removed. An empty folder is removed too; a name that is not UTF-8
    /// comes as <see cref="FolderEntries"/> gives it.</summary>
    /// <exception cref="IOException">The file could not be removed.</exception>
    public static unsafe void RemoveIn(SafeFileHandle folder, ReadOnlySpan<char> name)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var bytes = FolderEntries.Bytes(name, stackalloc byte[256]);
        fixed (byte* path = bytes)
        {
            if (Libc.unlinkat(folder, path, 0) < 0 && Marshal.GetLastPInvokeError() is var errno && errno != Libc.ENOENT &&
                !(errno == Libc.EISDIR && RemoveFolder(folder, path)))
            {
                throw new IOException($"cannot remove {name} (errno {errno})");
            }
        }
    }

    /// <summary>The status of <paramref name="name"/> in <paramref name="folder"/>, not following a symlink; null when
    /// it does not exist.</summary>
    public static unsafe FileStatus? StatusIn(SafeFileHandle folder, ReadOnlySpan<char> name)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var bytes = FolderEntries.Bytes(name, stackalloc byte[256]);
        fixed (byte* path = bytes)
        {
            return FileStatus.At(folder, path);
        }
    }

    private static unsafe bool RemoveFolder(SafeFileHandle folder, byte* path) =>
        Libc.unlinkat(folder, path, Libc.AT_REMOVEDIR) == 0 || Marshal.GetLastPInvokeError() == Libc.ENOENT;

    /// <summary>Sets the mode of an open file (never through a name, which a symlink could send elsewhere).</summary>
    /// <exception cref="IOException">The mode could not be set.</exception>
    public static void SetMode(SafeFileHandle handle, UnixFileMode mode)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (Libc.fchmod(handle, (uint)mode) < 0)
        {
            throw new IOException($"fchmod failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    /// <summary>Opens a folder for <see cref="OpenIn"/>; null (and the errno) when that fails.</summary>
    public static unsafe SafeFileHandle? OpenFolder(string path, out int error)
    {
        byte* name = NativeStrings.Utf8(path);
        try
        {
            // Never through a symlink: a drop folder path that is one would hand the daemon someone else's folder.
            int fd = Libc.open(name, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
            error = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
            return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
        }
        finally
        {
            NativeMemory.Free(name);
        }
    }

    /// <summary>Reads from the start of a file just opened up to <paramref name="maxBytes"/> into <paramref name="buffer"/>,
    /// growing it when it is too small; returns the bytes read.</summary>
    /// <remarks>For a reader of many files: a buffer used again costs no allocation, no zeroing and no page faults,
    /// which for a 100 KB record cost more than the read itself. It calls <c>read</c> itself: the runtime's file
    /// reads first ask the kernel whether the file can seek, a system call per file that costs a microsecond on a
    /// virtual machine.</remarks>
    /// <exception cref="IOException">The read failed.</exception>
    public static unsafe int ReadInto(SafeFileHandle handle, long length, int maxBytes, ref byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(handle);
        int wanted = (int)Math.Min(maxBytes, length);
        if (buffer.Length < wanted)
        {
            buffer = GC.AllocateUninitializedArray<byte>(Math.Max(wanted, buffer.Length * 2));
        }
        int total = 0;
        fixed (byte* start = buffer)
        {
            while (total < wanted)
            {
                nint n = Libc.read(handle, start + total, (nuint)(wanted - total));
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Libc.EINTR)
                    {
                        continue;
                    }
                    throw new IOException($"read failed (errno {errno})");
                }
                if (n == 0)
                {
                    break;
                }
                total += (int)n;
            }
        }
        return total;
    }

    /// <summary>Reads from the start of a file just opened up to <paramref name="maxBytes"/>.</summary>
    public static byte[] ReadUpTo(SafeFileHandle handle, long length, int maxBytes)
    {
        var buffer = new byte[(int)Math.Min(maxBytes, length)];
        int total = ReadInto(handle, length, maxBytes, ref buffer);
        return total == buffer.Length ? buffer : buffer[..total];
    }
}
