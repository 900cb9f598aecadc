namespace Polaris.Agent.Serve.Spool;

/// <summary>The spool stage's storage: one file per batch, written durably before anything counts it as kept.</summary>
/// <remarks>
/// File names are the batch keys, UUIDv7 in hex made by <see cref="BatchKeys"/>, so name order is creation order
/// and the shipper sends oldest first. A file is written under a temporary name, flushed to disk and renamed, so a crash
/// leaves either a whole batch or none. The spool keeps within bounds of size, age and the free space it leaves
/// on its file system: past them it drops its oldest batches first, and the caller counts what was dropped. A
/// collector down for days costs the oldest data, never the node's disk.
///
/// Each batch has a journal of the drop files it consumed, written before the batch and removed once those files
/// are gone. A crash between spooling a batch and removing its files leaves the journal, and the next start
/// removes the files instead of reading them into a second summary: no record is counted twice. A batch whose
/// journal is still there is not shipped, so a journal without its batch means the batch was never written.
/// </remarks>
public sealed class BatchSpool(AgentOptions options)
{
    private const string Extension = ".batch";
    private const string JournalExtension = ".consumed";
    private readonly string _directory = Path.GetFullPath(options.Spool);
    private readonly BatchKeys _keys = new();
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
        foreach (var journal in Directory.EnumerateFiles(_directory, "*" + JournalExtension))
        {
            if (File.Exists(Path.ChangeExtension(journal, Extension)))
            {
                foreach (var consumed in File.ReadAllLines(journal).Where(l => l.Length > 0))
                {
                    File.Delete(consumed);
                }
            }
            File.Delete(journal);
        }
        // New keys sort after the batches a previous run left, even if the clock was set back since.
        foreach (var batch in Directory.EnumerateFiles(_directory, "*" + Extension))
        {
            _keys.After(Path.GetFileNameWithoutExtension(batch));
        }
        return Trim(DateTimeOffset.UtcNow);
    }

    /// <summary>The key of the next batch, sorting after every batch in the spool.</summary>
    public string NewKey() => _keys.Next(DateTimeOffset.UtcNow);

    /// <summary>Stores a batch made of the records of <paramref name="consumedFiles"/>; when this returns, the batch
    /// survives a crash or reboot. Call <see cref="Consumed"/> once the files are removed.</summary>
    public void Add(string key, byte[] batch, IReadOnlyCollection<string> consumedFiles)
    {
        // Written a path at a time: a summary of a thousand ranks names a thousand files, and the journal as one
        // string went to the large object heap with every batch.
        AtomicFile.Write(Path.Combine(_directory, key + JournalExtension), file =>
        {
            using var lines = new StreamWriter(file, new System.Text.UTF8Encoding(false), 16 * 1024, leaveOpen: true);
            foreach (var consumed in consumedFiles)
            {
                lines.Write(consumed);
                lines.Write('\n');
            }
        }, durable: true);
        AtomicFile.Write(Path.Combine(_directory, key + Extension), batch, durable: true);
    }

    /// <summary>Ends a batch's journal once its drop files are removed; the batch may now be shipped.</summary>
    public void Consumed(string key) => File.Delete(Path.Combine(_directory, key + JournalExtension));

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

    /// <summary>Spooled batches whose journal is closed, oldest first.</summary>
    public IReadOnlyList<SpooledBatch> Pending()
    {
        var files = Directory.GetFiles(_directory, "*" + Extension);
        Array.Sort(files, StringComparer.Ordinal);
        return files
            .Where(f => !File.Exists(Path.ChangeExtension(f, JournalExtension)))
            .Select(f => new SpooledBatch(Path.GetFileNameWithoutExtension(f), f)).ToArray();
    }

    /// <summary>Batches waiting and their bytes.</summary>
    public (int Batches, long Bytes) Size()
    {
        int batches = 0;
        long bytes = 0;
        foreach (var file in new DirectoryInfo(_directory).EnumerateFiles("*" + Extension))
        {
            try
            {
                bytes += file.Length;
                batches++;
            }
            catch (FileNotFoundException)
            {
                // delivered meanwhile
            }
        }
        return (batches, bytes);
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
