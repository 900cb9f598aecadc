namespace Polaris.Collector.Storage;

/// <summary>An exclusive lock on a data folder's store, held while a process has the store open: a second collector
/// (or <c>import-pbs</c>) on the same folder is refused rather than let in to write the same file.</summary>
/// <remarks>
/// LiteDB's Direct mode does not keep a second process out on Linux: it opens the file with
/// <see cref="FileShare.Read"/>, which .NET turns into a shared <c>flock</c>, so two collectors on one folder both
/// start and both write. This lock is an exclusive <c>flock</c> (what .NET takes for <see cref="FileShare.None"/>) on
/// <see cref="FileName"/> beside the store; the kernel lets go of it when the process ends however it ends, so a
/// <c>kill -9</c> leaves nothing to clean.
/// </remarks>
internal sealed class StoreLock : IDisposable
{
    /// <summary>The lock file's name inside the data folder.</summary>
    public const string FileName = "polaris.lock";

    // EWOULDBLOCK: .NET gives flock's errno as the HResult of its "being used by another process" IOException.
    private const int WouldBlock = 11;

    private readonly FileStream _file;

    private StoreLock(FileStream file) => _file = file;

    /// <summary>Takes the lock of the store in <paramref name="dataDirectory"/>, which must exist.</summary>
    /// <exception cref="StoreHeldException">Another process holds it.</exception>
    /// <exception cref="IOException">The lock file cannot be created or opened.</exception>
    /// <exception cref="UnauthorizedAccessException">The lock file may not be opened.</exception>
    public static StoreLock Take(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        try
        {
            // Read access is enough for flock, and lets the collector's user lock a file another user created.
            return new StoreLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.None, 1));
        }
        catch (IOException e) when (e.HResult == WouldBlock)
        {
            throw new StoreHeldException($"another process holds the store in {Path.GetFullPath(dataDirectory)} (a running collector, or an import)", e);
        }
    }

    /// <summary>Lets go of the lock.</summary>
    public void Dispose() => _file.Dispose();
}
