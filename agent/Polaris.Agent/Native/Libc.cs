using System.Runtime.InteropServices;

namespace Polaris.Agent.Native;

/// <summary>The few glibc calls .NET does not expose: exec without a child, passwd look-ups, and opening files without blocking.</summary>
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

    [LibraryImport(Name, EntryPoint = "open", SetLastError = true)]
    internal static partial int open(byte* path, int flags);

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
