namespace Polaris.Collector.Import;

/// <summary>What <c>statx</c> says of a file the walk meets: its type, identity, size and owner.</summary>
/// <param name="Mode">The type and permission bits (<c>st_mode</c>).</param>
/// <param name="Device">The device, major and minor: with <paramref name="Inode"/>, the file's identity.</param>
/// <param name="Inode">The inode number.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Uid">The owner's uid.</param>
internal readonly record struct FileStatus(uint Mode, ulong Device, ulong Inode, long Size, uint Uid)
{
    /// <summary>A regular file: nothing else is read (a FIFO waits for a writer, a device may never end).</summary>
    public bool IsRegularFile => (Mode & 0xF000) == 0x8000;

    /// <summary>A directory.</summary>
    public bool IsDirectory => (Mode & 0xF000) == 0x4000;

    /// <summary>A symbolic link (only a status taken without following one says so).</summary>
    public bool IsSymbolicLink => (Mode & 0xF000) == 0xA000;

    /// <summary>The same file as <paramref name="other"/>: same device and inode, whatever path led to either.</summary>
    public bool IsSameFile(FileStatus other) => Device == other.Device && Inode == other.Inode;
}
