namespace Polaris.Collector.Scheduler;

/// <summary>The domain table of <c>domainFile</c>, reloaded when the file changes; thread-safe.</summary>
/// <remarks>
/// <para>The file is examined (<c>statx</c>: inode, size, modification and change times) when the table is asked
/// for, at most once every check interval (a second by default), and read again when any of them changed. So an
/// edit in place, an editor's write-then-rename, <c>mv new.csv domains.csv</c> and a swapped symlink are all seen,
/// on a network file system too, where no change notification comes. Polling on demand needs no thread and no
/// watch to go stale.</para>
/// <para>The last good table is kept when the new file cannot be read (it is retried at the next check), is
/// refused (larger than <see cref="DomainTable.MaxFileBytes"/>, not a regular file, of zero bytes, or junk lines
/// and no row: a garbled file), or is missing; a refused file is not read again until it changes. A table meant to
/// be empty is a file with the header line alone. A file caught half-written is replaced at the next check after
/// the writer's last change.</para>
/// <para>Readers never wait: one caller examines the file while the others go on with the table they have; a new
/// table is swapped in whole.</para>
/// </remarks>
public sealed class DomainTableFile
{
    /// <summary>How often the file is examined at most, unless the constructor is given another interval.</summary>
    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly TimeSpan _checkInterval;
    private readonly Lock _checking = new();
    private DomainTable _table = DomainTable.Empty;
    private FileSignature? _examined;
    private long _lastCheck;
    private long _reloads;
    private long _failedReloads;
    private long _junkLines;
    private string? _lastError;

    /// <summary>Loads the table at <paramref name="path"/>; a file that cannot be loaded leaves the table empty and
    /// says why in <see cref="LastError"/> (the collector starts without domains rather than not at all).</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="time">The clock of the check interval; the system's by default.</param>
    /// <param name="checkInterval">How often the file is examined at most; <see cref="DefaultCheckInterval"/> by
    /// default.</param>
    public DomainTableFile(string path, TimeProvider? time = null, TimeSpan? checkInterval = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        _time = time ?? TimeProvider.System;
        _checkInterval = checkInterval ?? DefaultCheckInterval;
        ArgumentOutOfRangeException.ThrowIfLessThan(_checkInterval, TimeSpan.Zero, nameof(checkInterval));
        CheckNow();
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The current table, after examining the file if the check interval has passed.</summary>
    public DomainTable Table
    {
        get
        {
            CheckIfDue();
            return Volatile.Read(ref _table);
        }
    }

    /// <summary>Tables taken from the file, the first load included.</summary>
    public long Reloads => Interlocked.Read(ref _reloads);

    /// <summary>Loads that failed: the file could not be read, was refused, or went missing.</summary>
    public long FailedReloads => Interlocked.Read(ref _failedReloads);

    /// <summary>Junk lines in the file as last read, whether its table was taken or refused.</summary>
    public long JunkLines => Interlocked.Read(ref _junkLines);

    /// <summary>Why the last load failed, or null when it did not; the first junk line when a table was refused for
    /// having no row.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>The domain of <paramref name="project"/> (<see cref="DomainTable.Lookup"/>) in the current table.</summary>
    public string Lookup(string? project) => Table.Lookup(project);

    /// <summary>The domain of a process (<see cref="DomainTable.DomainOf"/>) in the current table.</summary>
    public string DomainOf(string? account, bool inJob) => inJob ? Table.Lookup(account) : DomainTable.None;

    /// <summary>Examines the file now, whatever the interval, and loads it if it changed; waits for a check under
    /// way. For a reload asked by hand (a signal, an admin endpoint) and for tests.</summary>
    /// <returns>Whether a new table was taken.</returns>
    public bool CheckNow()
    {
        lock (_checking)
        {
            return Check();
        }
    }

    private void CheckIfDue()
    {
        if (_time.GetElapsedTime(Interlocked.Read(ref _lastCheck)) < _checkInterval || !_checking.TryEnter())
        {
            return;
        }
        try
        {
            if (_time.GetElapsedTime(Interlocked.Read(ref _lastCheck)) >= _checkInterval)
            {
                Check();
            }
        }
        finally
        {
            _checking.Exit();
        }
    }

    // Runs under _checking, as do the methods it calls.
    private bool Check()
    {
        Interlocked.Exchange(ref _lastCheck, _time.GetTimestamp());
        var signature = FileSignature.Of(Path, out var error);
        if (!signature.Exists)
        {
            // Counted once when the file goes, not at every check while it stays away.
            if (_examined is not { Exists: false })
            {
                Fail(error ?? "the file does not exist");
            }
            _examined = signature;
            return false;
        }
        if (signature == _examined || Load(signature) is not { } table)
        {
            return false;
        }
        Interlocked.Exchange(ref _junkLines, table.JunkLines);
        if (table.Count == 0 && table.JunkLines > 0)
        {
            var first = table.Junk[0];
            Fail($"no row among {table.JunkLines} junk lines (line {first.Line}: {first.Reason})");
            return false;
        }
        Volatile.Write(ref _table, table);
        Volatile.Write(ref _lastError, null);
        Interlocked.Increment(ref _reloads);
        return true;
    }

    // The file's table, or null when it is refused or cannot be read. A refused file is marked examined, so it is
    // not read again until it changes; one that could not be read is tried again at the next check.
    private DomainTable? Load(FileSignature signature)
    {
        try
        {
            string? refusal = !signature.IsRegularFile ? "not a regular file"
                // What a rewrite in place shows between truncating and writing; an empty table has its header line.
                : signature.Size == 0 ? "the file is empty (a table without rows has the header line alone)"
                : null;
            var table = refusal == null ? DomainTable.Load(Path) : null;
            _examined = signature;
            if (refusal != null)
            {
                Fail(refusal);
            }
            return table;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail($"cannot read it: {e.Message}");
            return null;
        }
        catch (InvalidDataException e)
        {
            _examined = signature;
            Fail(e.Message);
            return null;
        }
    }

    private void Fail(string reason)
    {
        Volatile.Write(ref _lastError, $"{Path}: {reason}; the previous table is kept");
        Interlocked.Increment(ref _failedReloads);
    }
}
