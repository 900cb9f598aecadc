using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Polaris.Agent.Native;

/// <summary>Reads small regular files whose paths come from users: it never blocks on a FIFO, never follows a final
/// symlink, and never reads more than asked.</summary>
/// <remarks>
/// The daemon runs as root and reads paths a user's process named (<c>PBS_NODEFILE</c>, <c>sys.prefix</c>'s
/// <c>conda-meta</c>). <c>File.ReadAllBytes</c> would wait forever on a FIFO planted there, and a check before the
/// open would race with a rename; so the file is opened non-blocking and checked through its descriptor.
/// </remarks>
public static class RegularFile
{
    // Linux x86_64 values, as FileStatus assumes (aarch64 differs for O_NOFOLLOW).
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;
    private const int NoFollow = 0x20000;
    private const int CloseOnExec = 0x80000;

    /// <summary>The first <paramref name="maxBytes"/> bytes of the file, or null when it is missing, unreadable or not a regular file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The most bytes read; a longer file is cut there.</param>
    /// <param name="readableBy">When given, the file is read only if this uid owns it or anyone may read it, so the
    /// daemon never shows a user what they could not read themselves.</param>
    public static unsafe byte[]? TryRead(string path, int maxBytes, uint? readableBy = null)
    {
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }
        byte* name = NativeStrings.Utf8(path);
        int fd;
        try
        {
            fd = Libc.open(name, ReadOnly | NonBlocking | NoFollow | CloseOnExec);
        }
        finally
        {
            NativeMemory.Free(name);
        }
        if (fd < 0)
        {
            return null;
        }
        using var handle = new SafeFileHandle((nint)fd, ownsHandle: true);
        var status = FileStatus.Of(fd);
        if (status is not { IsRegularFile: true } ||
            (readableBy is { } uid && status.Value.Uid != uid && !status.Value.IsWorldReadable))
        {
            return null;
        }
        try
        {
            var buffer = new byte[(int)Math.Min(maxBytes, RandomAccess.GetLength(handle))];
            int total = 0;
            while (total < buffer.Length)
            {
                int n = RandomAccess.Read(handle, buffer.AsSpan(total), total);
                if (n == 0)
                {
                    break;
                }
                total += n;
            }
            return total == buffer.Length ? buffer : buffer[..total];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }
}
