namespace Polaris.Agent.Serve.Spool;

/// <summary>The spool stage's storage: one file per batch, written durably before anything counts it as kept.</summary>
/// <remarks>
/// File names are the batch keys, UUIDv7 in hex, so name order is creation order and the shipper sends
/// oldest first. A file is written under a temporary name, flushed to disk and renamed, so a crash
/// leaves either a whole batch or none.
/// </remarks>
public sealed class BatchSpool
{
    private const string Extension = ".batch";
    private readonly string _directory;
    private readonly string _rejected;

    public BatchSpool(AgentOptions options)
    {
        _directory = Path.GetFullPath(options.Spool);
        _rejected = Path.Combine(_directory, "rejected");
    }

    /// <summary>Creates the spool folder, private to the daemon's user.</summary>
    public void Open()
    {
        Directory.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Temporary files of a write that a crash interrupted hold no acknowledged data.
        foreach (var partial in Directory.EnumerateFiles(_directory, "*.tmp"))
        {
            File.Delete(partial);
        }
    }

    /// <summary>Stores a batch; when this returns, the batch survives a crash or reboot.</summary>
    public void Add(string key, byte[] batch)
    {
        AtomicFile.Write(Path.Combine(_directory, key + Extension), batch, durable: true);
    }

    /// <summary>Spooled batches, oldest first.</summary>
    public IReadOnlyList<SpooledBatch> Pending()
    {
        var files = Directory.GetFiles(_directory, "*" + Extension);
        Array.Sort(files, StringComparer.Ordinal);
        return files.Select(f => new SpooledBatch(Path.GetFileNameWithoutExtension(f), f)).ToArray();
    }

    /// <summary>Forgets a batch the collector acknowledged.</summary>
    public static void Remove(SpooledBatch batch) => File.Delete(batch.Path);

    /// <summary>Sets aside a batch the collector refused as malformed, for a person to inspect; it is never resent.</summary>
    public void Reject(SpooledBatch batch)
    {
        Directory.CreateDirectory(_rejected);
        File.Move(batch.Path, Path.Combine(_rejected, Path.GetFileName(batch.Path)), overwrite: true);
    }
}
