using Polaris.Agent.Native;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>Everything one environment analysis reads goes through here: as the record's user could read it, and
/// within a budget of files, bytes and time.</summary>
/// <remarks>
/// A record names its environment, and a user can make that environment anything: 300 sparse 64 MiB
/// <c>conda-meta/*.json</c> files stalled the daemon for 33 s and took 281 MB. Past any bound the reader stops
/// (<see cref="Exhausted"/>) and the analysis reports the environment as unreadable, counted, rather than half
/// read (a package list cut short would show packages as removed). Real environments sit far inside the bounds: a
/// conda environment of 1,000 packages has about 1,000 records of a few KiB to a few MiB. The facility's base
/// environments are read with <see cref="Unbounded"/>: the administrator configured them, and they can be large.
/// </remarks>
public sealed class EnvironmentReader
{
    /// <summary>Bytes read at most for one environment.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    /// <summary>Files and folder entries looked at, at most, for one environment.</summary>
    public const int MaxEntries = 20_000;

    /// <summary>Time one environment's analysis may take.</summary>
    public static readonly TimeSpan MaxTime = TimeSpan.FromSeconds(2);

    private readonly long _maxBytes;
    private readonly int _maxEntries;
    private readonly long _deadline;
    private long _bytes;
    private int _entries;

    /// <param name="access">Whose reading rights apply.</param>
    public EnvironmentReader(UserAccess access)
        : this(access, MaxBytes, MaxEntries, MaxTime)
    {
    }

    private EnvironmentReader(UserAccess access, long maxBytes, int maxEntries, TimeSpan maxTime)
    {
        Access = access;
        _maxBytes = maxBytes;
        _maxEntries = maxEntries;
        _deadline = maxTime == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)maxTime.TotalMilliseconds;
    }

    /// <summary>A reader for what the facility configured: anyone's rights, no budget.</summary>
    public static EnvironmentReader Unbounded() => new(UserAccess.Anyone, long.MaxValue, int.MaxValue, Timeout.InfiniteTimeSpan);

    /// <summary>Whose rights apply.</summary>
    public UserAccess Access { get; }

    /// <summary>True once a bound was reached: what was read is not the whole environment.</summary>
    public bool Exhausted { get; private set; }

    /// <summary>The first <paramref name="maxBytes"/> of the file, or null when it is missing, not a regular file, not
    /// readable by the user, or past the budget.</summary>
    public byte[]? Read(string path, int maxBytes)
    {
        var folder = Path.GetDirectoryName(path);
        if (!Spend() || (folder != null && !Access.MayEnter(folder)))
        {
            return null;
        }
        using var handle = RegularFile.Open(path, out var status, out _);
        if (handle == null || !status.IsRegularFile || !Access.MayRead(status))
        {
            return null;
        }
        long wanted = Math.Min(maxBytes, status.Size);
        if (_bytes + wanted > _maxBytes)
        {
            Exhausted = true;
            return null;
        }
        try
        {
            var bytes = RegularFile.ReadUpTo(handle, status.Size, maxBytes);
            _bytes += bytes.Length;
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The files (or folders, <paramref name="folders"/>) in <paramref name="folder"/> matching
    /// <paramref name="pattern"/>, as far as the user may list it and the budget goes.</summary>
    /// <exception cref="UnauthorizedAccessException">The user may not list the folder.</exception>
    public IEnumerable<string> List(string folder, string pattern, bool folders = false)
    {
        if (!Access.MayList(folder))
        {
            throw new UnauthorizedAccessException($"{folder} is not readable by the record's user");
        }
        var entries = folders ? Directory.EnumerateDirectories(folder, pattern) : Directory.EnumerateFiles(folder, pattern);
        foreach (var entry in entries)
        {
            if (!Spend())
            {
                yield break;
            }
            yield return entry;
        }
    }

    private bool Spend()
    {
        if (Exhausted)
        {
            return false;
        }
        if (++_entries > _maxEntries || Environment.TickCount64 > _deadline)
        {
            Exhausted = true;
            return false;
        }
        return true;
    }
}
