using System.Runtime.InteropServices;

namespace Polaris.Agent.Native;

/// <summary>glibc's <c>posix_spawn</c> family, <c>waitpid</c> and <c>kill</c>, for <see cref="SpawnedChild"/>.</summary>
/// <remarks>
/// The opaque glibc structures are handled as byte buffers larger than their x86_64 sizes
/// (<c>posix_spawn_file_actions_t</c> 80 bytes, <c>posix_spawnattr_t</c> 336, <c>sigset_t</c> 128).
/// </remarks>
internal static unsafe partial class PosixSpawn
{
    private const string Name = "libc";

    internal const int FileActionsSize = 256;
    internal const int AttributesSize = 512;
    internal const int SignalSetSize = 256;

    internal const short SetSignalDefaults = 0x04;
    internal const short SetSignalMask = 0x08;

    internal const int ReadOnly = 0x0;
    internal const int WriteOnly = 0x1;
    internal const int Create = 0x40;
    internal const int Truncate = 0x200;

    internal const int NoHang = 1;
    internal const int Interrupted = 4;

    [LibraryImport(Name)]
    internal static partial int posix_spawnp(int* pid, byte* file, byte* fileActions, byte* attributes, byte** argv, byte** envp);

    [LibraryImport(Name)]
    internal static partial int posix_spawn_file_actions_init(byte* fileActions);

    [LibraryImport(Name)]
    internal static partial int posix_spawn_file_actions_destroy(byte* fileActions);

    [LibraryImport(Name)]
    internal static partial int posix_spawn_file_actions_addopen(byte* fileActions, int fd, byte* path, int flags, uint mode);

    [LibraryImport(Name)]
    internal static partial int posix_spawnattr_init(byte* attributes);

    [LibraryImport(Name)]
    internal static partial int posix_spawnattr_destroy(byte* attributes);

    [LibraryImport(Name)]
    internal static partial int posix_spawnattr_setflags(byte* attributes, short flags);

    [LibraryImport(Name)]
    internal static partial int posix_spawnattr_setsigdefault(byte* attributes, byte* signals);

    [LibraryImport(Name)]
    internal static partial int posix_spawnattr_setsigmask(byte* attributes, byte* signals);

    [LibraryImport(Name)]
    internal static partial int sigfillset(byte* set);

    [LibraryImport(Name)]
    internal static partial int sigemptyset(byte* set);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int kill(int pid, int signal);
}
