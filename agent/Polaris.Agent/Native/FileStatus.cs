namespace Polaris.Agent.Native;

/// <summary>Owner and type of a file, from <c>lstat</c> (which .NET does not expose with the owner).</summary>
/// <param name="Uid">The owning user.</param>
/// <param name="Mode">The <c>st_mode</c> bits: type and permissions.</param>
/// <param name="Size">Size in bytes.</param>
public readonly record struct FileStatus(uint Uid, uint Mode, long Size)
{
    private const uint TypeMask = 0xF000;
    private const uint DirectoryType = 0x4000;
    private const uint RegularType = 0x8000;
    private const uint SymlinkType = 0xA000;

    // Offsets in glibc's struct stat on x86_64 and aarch64's generic layout differ; x86_64 is what
    // compute nodes run here and what the RID pins.
    private const int LinksOffset = 16;
    private const int ModeOffset = 24;
    private const int UidOffset = 28;
    private const int GidOffset = 32;
    private const int SizeOffset = 48;
    private const int StatSize = 256;

    /// <summary>The owning group.</summary>
    public uint Gid { get; init; }

    /// <summary>Names the file has (<c>st_nlink</c>): more than one for a regular file means hard links.</summary>
    public ulong Links { get; init; }

    public bool IsDirectory => (Mode & TypeMask) == DirectoryType;

    public bool IsRegularFile => (Mode & TypeMask) == RegularType;

    /// <summary>A symlink itself: only <see cref="Of(string)"/>, which does not follow one, can say so.</summary>
    public bool IsSymlink => (Mode & TypeMask) == SymlinkType;

    /// <summary>Reads the status of <paramref name="path"/> without following a final symlink; null when it does not exist.</summary>
    public static unsafe FileStatus? Of(string path)
    {
        byte* name = NativeStrings.Utf8(path);
        try
        {
            byte* buffer = stackalloc byte[StatSize];
            if (Libc.lstat(name, buffer) != 0)
            {
                return null;
            }
            return Read(buffer);
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(name);
        }
    }

    /// <summary>Reads the status of <paramref name="name"/> (NUL-terminated) in an open folder without following a
    /// final symlink; null when it does not exist.</summary>
    internal static unsafe FileStatus? At(System.Runtime.InteropServices.SafeHandle folder, byte* name)
    {
        byte* buffer = stackalloc byte[StatSize];
        return Libc.fstatat(folder, name, buffer, Libc.AT_SYMLINK_NOFOLLOW) == 0 ? Read(buffer) : null;
    }

    /// <summary>Reads the status of an open descriptor: the file actually opened, whatever its name now points to.</summary>
    public static unsafe FileStatus? Of(int fd)
    {
        byte* buffer = stackalloc byte[StatSize];
        return Libc.fstat(fd, buffer) == 0 ? Read(buffer) : null;
    }

    private static unsafe FileStatus Read(byte* buffer) =>
        new(*(uint*)(buffer + UidOffset), *(uint*)(buffer + ModeOffset), *(long*)(buffer + SizeOffset))
        {
            Links = *(ulong*)(buffer + LinksOffset),
            Gid = *(uint*)(buffer + GidOffset),
        };

    /// <summary>Reads the status of what <paramref name="path"/> leads to, following symlinks all the way (as a
    /// process opening it would); null when that does not exist.</summary>
    public static unsafe FileStatus? Following(string path)
    {
        byte* name = NativeStrings.Utf8(path);
        try
        {
            byte* buffer = stackalloc byte[StatSize];
            return Libc.stat(name, buffer) == 0 ? Read(buffer) : null;
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(name);
        }
    }
}
