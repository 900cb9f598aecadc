namespace Polaris.Agent;

/// <summary>Writes a file whole or not at all: a reader (a Python starting, the shipper, a restart after a crash)
/// sees the old file or the new one, never a part.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> under a temporary name beside <paramref name="path"/>, then renames it
    /// into place. The temporary name ends in <c>.tmp</c>, so a folder's owner can sweep leftovers of a crash.</summary>
    /// <remarks>The temporary file is made new (<c>O_EXCL</c>) under a name no one can guess, and its mode is set
    /// through its descriptor: where others may add files (a textfile folder shared with a group), a symlink they
    /// planted under the name would otherwise take the write and the chmod to a file of their choosing.</remarks>
    /// <param name="path">The file to write.</param>
    /// <param name="content">Its bytes.</param>
    /// <param name="mode">Permissions to set before the rename; the umask's otherwise.</param>
    /// <param name="durable">Flush to disk before the rename, so that the file survives a crash or reboot once this returns.</param>
    public static void Write(string path, byte[] content, UnixFileMode? mode = null, bool durable = false) =>
        Write(path, file => file.Write(content), mode, durable);

    /// <summary>Writes what <paramref name="write"/> puts in the stream, as <see cref="Write(string, byte[], UnixFileMode?, bool)"/>
    /// does: for content made piece by piece, which then never has to be whole in memory.</summary>
    public static void Write(string path, Action<Stream> write, UnixFileMode? mode = null, bool durable = false)
    {
        ArgumentNullException.ThrowIfNull(write);
        string temp = "";
        try
        {
            using (var file = CreateTemporary(path, out temp))
            {
                if (mode is { } permissions)
                {
                    File.SetUnixFileMode(file.SafeFileHandle, permissions);
                }
                write(file);
                if (durable)
                {
                    file.Flush(flushToDisk: true);
                }
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            // A write that failed (a full disk) leaves no temporary file behind to take more space until a restart.
            try
            {
                if (temp.Length > 0)
                {
                    File.Delete(temp);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the original failure is the one to report
            }
            throw;
        }
    }

    private static long _made;

    // O_EXCL is what keeps a planted name from taking the write: the name needs no secret. Nor can it rest on the
    // kernel's randomness, which a chroot without /dev (an image build's %posttrans) may not give the runtime. A name
    // someone made first is passed over for the next.
    private static FileStream CreateTemporary(string path, out string temp)
    {
        for (int attempt = 0; ; attempt++)
        {
            temp = $"{path}.{Environment.ProcessId}.{Interlocked.Increment(ref _made)}.{System.Diagnostics.Stopwatch.GetTimestamp():x}.tmp";
            try
            {
                return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            }
            catch (IOException) when (attempt < 16 && Path.Exists(temp))
            {
                temp = "";
            }
        }
    }
}
