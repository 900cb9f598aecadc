namespace Polaris.Agent.Serve.Spool;

/// <summary>The spool stage's storage: one file per batch, written durably before anything counts it as kept.</summary>
/// <remarks>
/// File names are the batch keys, UUIDv7 in hex, so name order is creation order and the shipper sends
/// oldest first. A file is written under a temporary name, flushed to disk and renamed, so a crash
/// leaves either a whole batch or none. The spool keeps within bounds of size, age and the free space it leaves
/// on its file system: past them it drops its oldest batches first, and the caller counts what was dropped. A
/// collector down for days costs the oldest data, never the node's disk.
/// </remarks>
public sealed class BatchSpool(AgentOptions options)
{
    private const string Extension = ".batch";
    private readonly string _directory = Path.GetFullPath(options.Spool);
    private string Rejected => Path.Combine(_directory, "rejected");

    /// <summary>Creates the spool folder, private to the daemon's user, and brings what a previous run left within
    /// the bounds.</summary>
    public SpoolTrim Open()
    {
        Directory.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Temporary files of a write that a crash interrupted hold no acknowledged data.
        foreach (var partial in Directory.EnumerateFiles(_directory, "*.tmp"))
        {
            File.Delete(partial);
        }
        return Trim(DateTimeOffset.UtcNow);
    }

    /// <summary>Stores a batch; when this returns, the batch survives a crash or reboot. The spool is then brought
    /// within its bounds, which may drop this very batch when the file system has no room left for it.</summary>
    public SpoolTrim Add(string key, byte[] batch)
    {
        AtomicFile.Write(Path.Combine(_directory, key + Extension), batch, durable: true);
        return Trim(DateTimeOffset.UtcNow);
    }

    /// <summary>Deletes the oldest batches while the spool holds more than its size bound, leaves less free space than
    /// its reserve, or its oldest batch is past the age bound.</summary>
    public SpoolTrim Trim(DateTimeOffset now)
    {
        var batches = new List<(string Path, long Bytes, DateTimeOffset Created)>();
        foreach (var batch in Pending())
        {
            try
            {
                var file = new FileInfo(batch.Path);
                batches.Add((batch.Path, file.Length, CreatedAt(batch.Key) ?? file.LastWriteTimeUtc));
            }
            catch (FileNotFoundException)
            {
                // delivered meanwhile
            }
        }
        long total = batches.Sum(b => b.Bytes);
        long free = new DriveInfo(_directory).AvailableFreeSpace;
        var dropped = new SpoolTrim(0, 0);
        foreach (var (path, bytes, created) in batches)
        {
            if (total <= options.SpoolMaxBytes && free >= options.SpoolMinFreeBytes && now - created <= options.SpoolMaxAge)
            {
                break;
            }
            File.Delete(path);
            total -= bytes;
            free += bytes;
            dropped = new SpoolTrim(dropped.Batches + 1, dropped.Bytes + bytes);
        }
        return dropped;
    }

    /// <summary>A UUIDv7 key starts with its creation time in Unix milliseconds.</summary>
    private static DateTimeOffset? CreatedAt(string key) =>
        key.Length == 32 && long.TryParse(key.AsSpan(0, 12), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

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
        Directory.CreateDirectory(Rejected);
        File.Move(batch.Path, Path.Combine(Rejected, Path.GetFileName(batch.Path)), overwrite: true);
    }
}
