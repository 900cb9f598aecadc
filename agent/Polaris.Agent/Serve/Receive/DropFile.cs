using Microsoft.Win32.SafeHandles;
using Polaris.Agent.Native;

namespace Polaris.Agent.Serve.Receive;

/// <summary>One record file in the drop directory, read safely: any local user can put any file there.</summary>
/// <param name="Owner">The file's owner: the kernel's word on who wrote it, whatever the content claims.</param>
/// <param name="Length">Its size: the first bytes of the buffer it was read into.</param>
public readonly record struct DropFile(uint Owner, int Length)
{
    /// <summary>Why a file could not be read as a record.</summary>
    public enum Refusal
    {
        /// <summary>Gone before we opened it, or unreadable.</summary>
        Unreadable,

        /// <summary>A symlink, folder, device or anything but a plain file.</summary>
        NotRegular,

        /// <summary>Larger than the configured limit.</summary>
        Oversized,

        /// <summary>Its owner is past the rate of records a user may drop.</summary>
        RateLimited,

        /// <summary>As long as when it was last read: nothing to read again.</summary>
        Unchanged,
    }

    /// <summary>Opens without following symlinks, checks the opened file itself, and reads at most <paramref name="maxBytes"/>
    /// into <paramref name="buffer"/> (grown when needed), only when <paramref name="admit"/> lets its owner in.</summary>
    /// <param name="folder">The open drop folder.</param>
    /// <param name="name">The file's name in it.</param>
    /// <param name="maxBytes">The largest record read; a larger file is refused.</param>
    /// <param name="admit">Whether the file's owner may drop a record now (the rate limit).</param>
    /// <param name="unchangedLength">The length it had when last read (-1: none); a file still that long is not read.</param>
    /// <param name="buffer">Where the bytes go; grown when too small.</param>
    /// <param name="refusal">Why nothing was read, when null is returned.</param>
    public static DropFile? Read(SafeFileHandle folder, string name, int maxBytes, Func<uint, bool> admit, long unchangedLength, ref byte[] buffer, out Refusal refusal)
    {
        using var handle = RegularFile.OpenIn(folder, name, out var status, out int error);
        if (handle == null)
        {
            // A socket cannot be opened at all (ENXIO): what is there decides, not the error.
            refusal = error == RegularFile.SymlinkError || (error != Libc.ENOENT && RegularFile.StatusIn(folder, name) is { IsRegularFile: false })
                ? Refusal.NotRegular
                : Refusal.Unreadable;
            return null;
        }
        // A second name of a file (a hard link) would have its record counted once per name.
        bool regular = status.IsRegularFile && status.Links == 1;
        refusal = !regular ? Refusal.NotRegular : status.Size > maxBytes ? Refusal.Oversized : Refusal.Unchanged;
        if (!regular || status.Size > maxBytes || status.Size == unchangedLength)
        {
            return null;
        }
        if (!admit(status.Uid))
        {
            refusal = Refusal.RateLimited;
            return null;
        }
        return new DropFile(status.Uid, RegularFile.ReadInto(handle, status.Size, maxBytes, ref buffer));
    }
}
