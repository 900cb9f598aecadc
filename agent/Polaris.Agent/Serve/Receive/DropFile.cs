using System.Runtime.InteropServices;
using Polaris.Agent.Native;

namespace Polaris.Agent.Serve.Receive;

/// <summary>One record file in the drop directory, read safely: any local user can put any file there.</summary>
/// <param name="Owner">The file's owner: the kernel's word on who wrote it, whatever the content claims.</param>
/// <param name="Content">Its bytes.</param>
public sealed record DropFile(uint Owner, byte[] Content)
{
    /// <summary>Why a file could not be read as a record; null when it was.</summary>
    public enum Refusal
    {
        /// <summary>Gone before we opened it, or unreadable.</summary>
        Unreadable,

        /// <summary>A symlink, folder, device or anything but a plain file.</summary>
        NotRegular,

        /// <summary>Larger than the configured limit.</summary>
        Oversized,
    }

    /// <summary>Opens without following symlinks, checks the opened file itself, and reads at most <paramref name="maxBytes"/>.</summary>
    public static unsafe DropFile? Read(string path, int maxBytes, out Refusal refusal)
    {
        refusal = Refusal.Unreadable;
        byte* name = NativeStrings.Utf8(path);
        int fd;
        try
        {
            fd = Libc.open(name, Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        }
        finally
        {
            NativeMemory.Free(name);
        }
        if (fd < 0)
        {
            const int ELOOP = 40;
            refusal = Marshal.GetLastPInvokeError() == ELOOP ? Refusal.NotRegular : Refusal.Unreadable;
            return null;
        }
        try
        {
            if (FileStatus.Of(fd) is not { } status)
            {
                return null;
            }
            if (!status.IsRegularFile)
            {
                refusal = Refusal.NotRegular;
                return null;
            }
            if (status.Size > maxBytes)
            {
                refusal = Refusal.Oversized;
                return null;
            }
            var content = new byte[status.Size];
            int filled = 0;
            fixed (byte* buffer = content)
            {
                while (filled < content.Length)
                {
                    nint read = Libc.read(fd, buffer + filled, (nuint)(content.Length - filled));
                    if (read <= 0)
                    {
                        break;
                    }
                    filled += (int)read;
                }
            }
            return new DropFile(status.Uid, filled == content.Length ? content : content[..filled]);
        }
        finally
        {
            Libc.close(fd);
        }
    }
}
