using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Polaris.Wire;

namespace Polaris.Collector.Import;

/// <summary>Reads XALT 3's JSON records: <c>run</c> records (one program run: <c>userT</c>, <c>userDT</c>,
/// <c>libA</c>, <c>envT</c>) and Python <c>pkg</c> records (one top-level package a run imported), joined on the
/// run's uuid, giving one <see cref="ImportedProcess"/> per Python run.</summary>
/// <remarks>
/// <para>Records are joined by their owner and <c>xalt_run_uuid</c> (<see cref="ImportEntry.Owner"/>): XALT writes
/// them from the user's own process, so a record's file is its user's, and any user can write a record naming another's
/// uuid. A <c>pkg</c> record joins only a run of the same owner, and a run record of a user's file is counted as that
/// user's, whatever its <c>user</c> field says (noted when it says another). Only for files no user owns (root's, an
/// admin's archive, or no known user) is the record's <c>user</c> taken, and the process marked
/// (<see cref="ImportedProcess.UserFromRecord"/>). <c>pkg</c> records name no <c>syshost</c>: the join's key is the
/// owner and uuid, and a run record of a key read already must name the same host, user and job, or is not taken.</para>
/// <para>A <c>pkg</c> record joins its run by uuid only, never by file name (run names keep a leading zero in the
/// time's fraction, <c>pkg</c> names drop it), and may come before or after its run. A run is given once no more of
/// its records can come: at the end of the input, or, when more than <see cref="DefaultMaxPendingRuns"/> runs wait or
/// their records hold more than the budget of bytes (<see cref="DefaultMaxPendingBytes"/>), the run first met is given
/// with the packages read so far (XALT writes a run's records in one folder, which the walk reads together, so a run
/// that old is complete; noted when past the bytes); its late <c>pkg</c> records are counted, not joined. The count
/// keeps an ordinary import small; the bytes bound what hostile records can make it hold (a run may name thousands of
/// shared objects). <c>pkg</c> records left without a run at the end are counted.</para>
/// <para>A run is Python when its executable's name is an interpreter's (<c>python</c>, <c>python3</c>,
/// <c>python3.11</c>, <c>pypy3</c>) or any of its <c>pkg</c> records is Python's (an interpreter embedded in or
/// renamed to another program). A Python run without <c>pkg</c> records is kept: it imported nothing XALT tracks (or
/// tracking was off), and it is still a Python process of its job. Other runs are counted and skipped.</para>
/// <para>XALT writes a start record for an MPI program as it begins (<c>end_time</c> 0) and an end record with the
/// same uuid when it ends: the one with the later end is kept, the other counted. <c>crc</c> is not checked (XALT's
/// checksum does not survive any rewriting of paths); <c>package_version</c> is the interpreter's version, not the
/// package's, and is dropped. Only <c>pkg</c> records of <c>program</c> <c>python</c> are read.</para>
/// <para>A file that is no record (not JSON, cut short, past <see cref="MaxRecordBytes"/>, missing the uuid, the
/// executable or the start) is counted with its name and skipped; nothing a file holds makes the reader throw.</para>
/// </remarks>
public sealed partial class XaltReader
{
    /// <summary>The largest record file read: a run of a program with a thousand shared objects is about 200 KB.</summary>
    public const int MaxRecordBytes = 8 << 20;

    /// <summary>The bytes the records waiting for the rest of their run may hold, by default (<see cref="XaltJoin.Bytes"/>):
    /// the fixture's largest run folder holds about 30 KB, a year of a site's runs far more than this.</summary>
    public const long DefaultMaxPendingBytes = 256L << 20;

    /// <summary>Runs held waiting for their <c>pkg</c> records, by default: many folders' worth.</summary>
    public const int DefaultMaxPendingRuns = 4096;

    /// <summary>What a run given before the end of the input, its waiting records past the budget of bytes, is noted as;
    /// one given past the count of runs is not: that is how a large import goes.</summary>
    public const string GivenEarly = "run given before the end of the input (records waiting past the memory budget)";

    /// <summary>What a run record whose user is not its file's owner is noted as.</summary>
    public const string OtherUser = "record names a user other than its file's owner (counted as the owner's)";

    // Runs given before the end, to count their late pkg records: hashes of their keys, forgotten in bulk past this
    // (8 MiB at most, whatever the keys hold).
    private const int MaxRemembered = 256 * 1024;

    private readonly ImportTally _tally;
    private readonly long _maxPendingBytes;
    private readonly int _maxPendingRuns;
    private readonly Dictionary<string, XaltJoin> _pending = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly HashSet<UInt128> _given = [];
    private long _pendingBytes;
    private int _pendingRuns;

    /// <summary>A reader counting in <paramref name="tally"/>.</summary>
    public XaltReader(ImportTally tally)
        : this(tally, DefaultMaxPendingBytes, DefaultMaxPendingRuns)
    {
    }

    /// <summary>A reader holding at most about <paramref name="maxPendingBytes"/> of records, and
    /// <paramref name="maxPendingRuns"/> runs, while they wait.</summary>
    internal XaltReader(ImportTally tally, long maxPendingBytes, int maxPendingRuns = DefaultMaxPendingRuns)
    {
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPendingBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPendingRuns);
        _tally = tally;
        _maxPendingBytes = maxPendingBytes;
        _maxPendingRuns = maxPendingRuns;
    }

    /// <summary>The most bytes the waiting records held at once (<see cref="XaltJoin.Bytes"/>), for tests and
    /// measurements.</summary>
    internal long PeakPendingBytes { get; private set; }

    /// <summary>The Python runs of <paramref name="entries"/>, each once its <c>pkg</c> records are in; most at the end
    /// of the input, in the order their first record came.</summary>
    public IEnumerable<ImportedProcess> Read(IEnumerable<ImportEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            Take(entry);
            while (NextOverdue(out bool overBudget) is { } join)
            {
                if (Give(join, overBudget) is { } process)
                {
                    yield return process;
                }
            }
        }
        while (_order.TryDequeue(out var key))
        {
            if (_pending.Remove(key, out var join) && Give(join, overBudget: false) is { } process)
            {
                yield return process;
            }
        }
        _pendingBytes = 0;
        _pendingRuns = 0;
    }

    private void Take(ImportEntry entry)
    {
        if (!entry.FileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            _tally.Skip("not a .json file", entry.Name);
            return;
        }
        _tally.Record();
        if (!entry.TryReadAll(MaxRecordBytes, out var bytes, out var fault))
        {
            _tally.Skip(fault!, entry.Name);
            return;
        }
        try
        {
            using var document = JsonDocument.Parse(bytes, JsonFields.Options);
            fault = Take(document.RootElement, entry.Owner, entry.Name);
        }
        catch (JsonException)
        {
            fault = "not a JSON record (malformed or cut short)";
        }
        catch (InvalidOperationException)
        {
            fault = "not a JSON record (a name that is no text)";
        }
        if (fault != null)
        {
            _tally.Skip(fault, entry.Name);
        }
    }

    private string? Take(JsonElement root, EntryOwner owner, string where)
    {
        if (JsonFields.Object(root, "userT") is { } user)
        {
            return TakeRun(root, user, owner, where);
        }
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("xalt_run_uuid", out _))
        {
            return TakePackage(root, owner);
        }
        return "not an XALT run or pkg record";
    }

    private string? TakePackage(JsonElement root, EntryOwner owner)
    {
        var uuid = JsonFields.Text(root, "xalt_run_uuid");
        var name = JsonFields.Text(root, "package_name");
        if (string.IsNullOrEmpty(uuid) || uuid.Length > SummaryBounds.MaxTextBytes)
        {
            return "pkg record without a run uuid";
        }
        if (JsonFields.Text(root, "program") != "python")
        {
            return "pkg record of a program other than python";
        }
        if (string.IsNullOrEmpty(name))
        {
            return "pkg record without a package name";
        }
        string key = Key(owner, uuid);
        if (_given.Contains(Hash(key)))
        {
            return "pkg record after its run was given (runs waiting past their bounds)";
        }
        var join = Join(key, uuid);
        if (join.Full)
        {
            return "pkg record past the modules a process may hold";
        }
        long before = join.Bytes;
        join.AddPackage(name, JsonFields.Text(root, "package_path") ?? "");
        Grew(join.Bytes - before);
        return null;
    }

    private string? TakeRun(JsonElement root, JsonElement user, EntryOwner owner, string where)
    {
        var uuid = JsonFields.Text(user, "run_uuid");
        var executable = JsonFields.Text(user, "exec_path");
        var times = JsonFields.Object(root, "userDT");
        double? start = times is { } t ? JsonFields.Number(t, "start_time") : null;
        if (string.IsNullOrEmpty(uuid) || uuid.Length > SummaryBounds.MaxTextBytes)
        {
            return "run record without a run uuid";
        }
        if (string.IsNullOrEmpty(executable))
        {
            return "run record without an executable";
        }
        if (start is not { } seconds || seconds * 1000 is < SummaryBounds.MinTimeMs or > SummaryBounds.MaxTimeMs)
        {
            return "run record without a start time in 2000 to 2100";
        }
        string key = Key(owner, uuid);
        if (_given.Contains(Hash(key)))
        {
            return "run record of a run given already";
        }
        double end = times is { } d ? JsonFields.Number(d, "end_time") ?? 0 : 0;
        var run = Run(root, user, owner, uuid, executable, seconds, times!.Value);
        var join = Join(key, uuid);
        if (join.Run is { } taken)
        {
            // A record with the uuid of a run read already may end it, never make it another's.
            if ((run.Host, run.User, run.JobId) != (taken.Host, taken.User, taken.JobId))
            {
                return "run record with the uuid of another host's, user's or job's run (not taken)";
            }
            if (end <= join.RunEnd)
            {
                return end == join.RunEnd ? "run record read twice" : "run start record superseded by its end record";
            }
            _tally.Skip(join.RunEnd == 0 ? "run start record superseded by its end record" : "run record superseded by a later one", join.RunWhere);
        }
        if (owner.IsUser && JsonFields.Text(user, "user") is { Length: > 0 } claimed && claimed != owner.Name)
        {
            _tally.Note(OtherUser, where);
        }
        if (join.Run == null)
        {
            _pendingRuns++;
        }
        long before = join.Bytes;
        join.SetRun(run, where, end, IsPython(executable));
        Grew(join.Bytes - before);
        return null;
    }

    private static ImportedProcess Run(JsonElement root, JsonElement user, EntryOwner owner, string uuid, string executable, double start, JsonElement times)
    {
        var clip = new ProcessClipper();
        if (JsonFields.Object(root, "envT") is { } environment)
        {
            foreach (var variable in environment.EnumerateObject())
            {
                clip.Variable(variable.Name, JsonFields.Text(variable.Value));
            }
        }
        if (JsonFields.Array(root, "libA") is { } libraries)
        {
            foreach (var library in libraries.EnumerateArray())
            {
                clip.SharedObject(library.ValueKind == JsonValueKind.Array && library.GetArrayLength() > 0 ? JsonFields.Text(library[0]) : null);
            }
        }
        double nodes = JsonFields.Number(times, "num_nodes") ?? 0;
        string host = clip.Text(JsonFields.Text(user, "syshost"));
        return new ImportedProcess
        {
            Source = RecordSource.Xalt,
            // The owner's and host's too when a user owns the file: another user's record of the same uuid is
            // another summary, which the store cannot take for this one.
            Identity = owner.IsUser ? string.Create(CultureInfo.InvariantCulture, $"{owner.Uid}/{host}/{uuid}") : uuid,
            User = owner.IsUser ? owner.Name : clip.Text(JsonFields.Text(user, "user")),
            UserFromRecord = !owner.IsUser,
            JobId = clip.Text(JsonFields.Text(user, "job_id")),
            Account = clip.Text(JsonFields.Text(user, "account")),
            Queue = clip.Text(JsonFields.Text(user, "queue")),
            Host = host,
            Start = DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(start * TimeSpan.TicksPerSecond)),
            Executable = clip.Text(executable, SummaryBounds.MaxPathBytes),
            WorkingDirectory = clip.Text(JsonFields.Text(user, "cwd"), SummaryBounds.MaxPathBytes),
            NodeCount = nodes is >= 1 and <= 1_000_000 ? (int)nodes : 0,
            Rank = ImportedRank.Of(clip.Variables),
            SharedObjects = clip.SharedObjects,
            Variables = clip.Variables,
            Clips = clip.Clips,
        };
    }

    // The owner's uid and the uuid: no user's record joins or supersedes another owner's run.
    private static string Key(EntryOwner owner, string uuid) =>
        string.Create(CultureInfo.InvariantCulture, $"{owner.Uid}/{uuid}");

    private static UInt128 Hash(string key) => XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(key));

    private XaltJoin Join(string key, string uuid)
    {
        if (!_pending.TryGetValue(key, out var join))
        {
            _pending.Add(key, join = new XaltJoin(uuid));
            _order.Enqueue(key);
            Grew(join.Bytes + (2L * key.Length));
        }
        return join;
    }

    private void Grew(long bytes)
    {
        _pendingBytes += bytes;
        PeakPendingBytes = Math.Max(PeakPendingBytes, _pendingBytes);
    }

    // The run waiting longest, while the records waiting hold more than the budget.
    private XaltJoin? NextOverdue(out bool overBudget)
    {
        overBudget = _pendingBytes > _maxPendingBytes;
        while ((_pendingBytes > _maxPendingBytes || _pendingRuns > _maxPendingRuns) && _order.TryDequeue(out var key))
        {
            if (!_pending.Remove(key, out var join))
            {
                continue;
            }
            _pendingBytes -= 2L * key.Length;
            if (join.Run != null)
            {
                if (_given.Count >= MaxRemembered)
                {
                    _given.Clear();
                }
                _given.Add(Hash(key));
            }
            return join;
        }
        return null;
    }

    private ImportedProcess? Give(XaltJoin join, bool overBudget)
    {
        _pendingBytes -= join.Bytes;
        if (join.Run == null)
        {
            _tally.Skip("pkg record without its run record", "run " + ImportEntry.Printable(join.Uuid), join.Packages.Count);
            return null;
        }
        _pendingRuns--;
        if (!join.PythonExecutable && join.Packages.Count == 0)
        {
            _tally.Skip("run of a program that is not Python", join.RunWhere);
            return null;
        }
        var process = join.Complete();
        if (overBudget)
        {
            _tally.Note(GivenEarly, join.RunWhere);
        }
        _tally.Keep(process, join.RunWhere);
        return process;
    }

    private static bool IsPython(string executable) =>
        InterpreterName().IsMatch(executable.AsSpan(executable.LastIndexOf('/') + 1));

    [GeneratedRegex(@"^(python|pypy)[0-9]*(\.[0-9]+)?[a-z]?$", RegexOptions.CultureInvariant)]
    private static partial Regex InterpreterName();
}
