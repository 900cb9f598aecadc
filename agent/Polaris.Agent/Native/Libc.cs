using System.Runtime.InteropServices;

namespace Polaris.Agent.Native;

/// <summary>The glibc calls .NET does not expose: exec without a child, passwd look-ups, file owners, inotify.</summary>
internal static unsafe partial class Libc
{
    private const string Name = "libc";

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int execvpe(byte* file, byte** argv, byte** envp);

    [LibraryImport(Name)]
    internal static partial int getpwuid_r(uint uid, Passwd* pwd, byte* buffer, nuint bufferLength, Passwd** result);

    [LibraryImport(Name)]
    internal static partial uint getuid();

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int lstat(byte* path, byte* statBuffer);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int fstat(int fd, byte* statBuffer);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int open(byte* path, int flags, uint mode);

    // Calls on a SafeHandle: the generated marshaller holds a reference to the handle for the call, so a Dispose on
    // another thread cannot close the descriptor (and the kernel hand its number to another file) meanwhile.
    [LibraryImport(Name, SetLastError = true)]
    internal static partial int openat(SafeHandle directory, byte* path, int flags, uint mode);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int unlinkat(SafeHandle directory, byte* path, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint read(SafeHandle fd, byte* buffer, nuint count);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint write(int fd, byte* buffer, nuint count);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int inotify_init1(int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int inotify_add_watch(int fd, byte* path, uint mask);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int eventfd(uint initial, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int stat(byte* path, byte* statBuffer);

    [LibraryImport(Name)]
    internal static partial int getgrouplist(byte* user, uint group, uint* groups, int* count);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int fstatat(SafeHandle directory, byte* path, byte* statBuffer, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int fchmod(SafeHandle fd, uint mode);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int flock(SafeHandle fd, int operation);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint opendir(byte* path);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial byte* readdir(nint directory);

    [LibraryImport(Name)]
    internal static partial int closedir(nint directory);

    internal const int O_RDONLY = 0;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_NOFOLLOW = 0x20000;
    internal const int O_CLOEXEC = 0x80000;
    internal const int O_DIRECTORY = 0x10000;
    internal const int ENOENT = 2;
    internal const int EINTR = 4;
    internal const int EWOULDBLOCK = 11;
    internal const int EISDIR = 21;
    internal const int LOCK_EX = 2;
    internal const int LOCK_NB = 4;
    internal const int AT_REMOVEDIR = 0x200;
    internal const int AT_SYMLINK_NOFOLLOW = 0x100;

    /// <summary><c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>glibc's <c>struct passwd</c> on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Passwd
    {
        public byte* Name;
        public byte* Password;
        public uint Uid;
        public uint Gid;
        public byte* Gecos;
        public byte* Home;
        public byte* Shell;
    }
}
