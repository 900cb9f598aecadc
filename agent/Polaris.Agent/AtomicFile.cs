namespace Polaris.Agent;

/// <summary>Writes a file whole or not at all: a reader (a Python starting, the shipper, a restart after a crash)
/// sees the old file or the new one, never a part.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> under a temporary name beside <paramref name="path"/>, then renames it
    /// into place. The temporary name ends in <c>.tmp</c>, so a folder's owner can sweep leftovers of a crash.</summary>
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
        // The pid keeps two processes writing the same file from sharing a temporary one.
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(file);
                if (durable)
                {
                    file.Flush(flushToDisk: true);
                }
            }
            if (mode is { } permissions)
            {
                File.SetUnixFileMode(temp, permissions);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            // A write that failed (a full disk) leaves no temporary file behind to take more space until a restart.
            try
            {
                File.Delete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the original failure is the one to report
            }
            throw;
        }
    }
}
