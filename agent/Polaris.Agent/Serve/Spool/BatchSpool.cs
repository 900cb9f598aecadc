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
    private string DeferredFolder => Path.Combine(_directory, "deferred");

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
        try
        {
            AtomicFile.Write(Path.Combine(_directory, key + Extension), batch, durable: true);
        }
        catch
        {
            // No batch, no journal: a failed write leaves nothing behind to sweep.
            File.Delete(Path.Combine(_directory, key + JournalExtension));
            throw;
        }
    }

    /// <summary>Ends a batch's journal once its drop files are removed; the batch may now be shipped.</summary>
    public void Consumed(string key) => File.Delete(Path.Combine(_directory, key + JournalExtension));

    /// <summary>Deletes the oldest batches while the spool holds more than its size bound, leaves less free space than
    /// its reserve, or its oldest batch is past the age bound.</summary>
    /// <remarks>Batches set aside (<c>deferred/</c>) and refused (<c>rejected/</c>) count against the same bounds,
    /// oldest first with the others, so neither folder grows without end. Free space is someone else's to take too
    /// (the drop folder's users share the file system by default): it may cost the oldest batches, never the newest
    /// one, which is the data just made and which dropping would not make room for long; so a file system smaller
    /// than the reserve keeps one batch rather than dropping each as soon as it is written.</remarks>
    public SpoolTrim Trim(DateTimeOffset now)
    {
        var batches = new List<(string Path, long Bytes, DateTimeOffset Created)>();
        foreach (var path in Pending().Select(b => b.Path).Concat(Stored(DeferredFolder)).Concat(Stored(Rejected)))
        {
            try
            {
                var file = new FileInfo(path);
                batches.Add((path, file.Length, CreatedAt(Path.GetFileNameWithoutExtension(path)) ?? file.LastWriteTimeUtc));
            }
            catch (FileNotFoundException)
            {
                // delivered meanwhile
            }
        }
        batches.Sort((a, b) => a.Created != b.Created ? a.Created.CompareTo(b.Created) : string.CompareOrdinal(Path.GetFileName(a.Path), Path.GetFileName(b.Path)));
        long total = batches.Sum(b => b.Bytes);
        long free = new DriveInfo(_directory).AvailableFreeSpace;
        var dropped = new SpoolTrim(0, 0);
        for (int i = 0; i < batches.Count; i++)
        {
            var (path, bytes, created) = batches[i];
            bool newest = i == batches.Count - 1;
            if (total <= options.SpoolMaxBytes && (free >= options.SpoolMinFreeBytes || newest) && now - created <= options.SpoolMaxAge)
            {
                break;
            }
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                continue;
            }
            total -= bytes;
            free += bytes;
            dropped = new SpoolTrim(dropped.Batches + 1, dropped.Bytes + bytes);
        }
        return dropped;
    }

    /// <summary>The batch files of a sub-folder (deferred or rejected); none when it does not exist.</summary>
    private static IEnumerable<string> Stored(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder, "*" + Extension) : [];

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

    /// <summary>Batches waiting (in the queue or set aside) and their bytes.</summary>
    public (int Batches, long Bytes) Size()
    {
        int batches = 0;
        long bytes = 0;
        foreach (var folder in new[] { _directory, DeferredFolder })
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*" + Extension))
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
        }
        return (batches, bytes);
    }

    /// <summary>Batches set aside because they kept failing while later ones were delivered, oldest first.</summary>
    public IReadOnlyList<SpooledBatch> Deferred()
    {
        var files = Stored(DeferredFolder).ToArray();
        Array.Sort(files, StringComparer.Ordinal);
        return files.Select(f => new SpooledBatch(Path.GetFileNameWithoutExtension(f), f)).ToArray();
    }

    /// <summary>Sets aside a batch that keeps failing while the collector takes others: it is retried on its own
    /// schedule and no longer holds back the queue.</summary>
    public SpooledBatch Defer(SpooledBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Directory.CreateDirectory(DeferredFolder);
        var moved = Path.Combine(DeferredFolder, Path.GetFileName(batch.Path));
        File.Move(batch.Path, moved, overwrite: true);
        return batch with { Path = moved };
    }

    /// <summary>Forgets a batch the collector acknowledged.</summary>
    public static void Remove(SpooledBatch batch) => File.Delete(batch.Path);

    /// <summary>Sets aside a batch the collector refused as malformed, for a person to inspect; it is never resent.</summary>
    public void Reject(SpooledBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Directory.CreateDirectory(Rejected);
        File.Move(batch.Path, Path.Combine(Rejected, Path.GetFileName(batch.Path)), overwrite: true);
    }
}
