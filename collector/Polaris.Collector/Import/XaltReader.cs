using System.Text.Json;
using System.Text.RegularExpressions;
using Polaris.Wire;

namespace Polaris.Collector.Import;

/// <summary>Reads XALT 3's JSON records: <c>run</c> records (one program run: <c>userT</c>, <c>userDT</c>,
/// <c>libA</c>, <c>envT</c>) and Python <c>pkg</c> records (one top-level package a run imported), joined on the
/// run's uuid, giving one <see cref="ImportedProcess"/> per Python run.</summary>
/// <remarks>
/// <para>A <c>pkg</c> record joins its run by <c>xalt_run_uuid</c> only, never by file name (run names keep a leading
/// zero in the time's fraction, <c>pkg</c> names drop it), and may come before or after its run. A run is given once
/// no more of its records can come: at the end of the input, or, when more than the bound of runs or packages wait,
/// the run first met is given with the packages read so far (XALT writes a run's records in one folder, which the
/// walk reads together, so a run that old is complete); its late <c>pkg</c> records are counted, not joined.
/// <c>pkg</c> records left without a run at the end are counted.</para>
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

    /// <summary>Runs held waiting for their <c>pkg</c> records, by default.</summary>
    public const int DefaultMaxPendingRuns = 4096;

    /// <summary><c>pkg</c> records held waiting for their runs' end, by default.</summary>
    public const int DefaultMaxPendingPackages = 256 * 1024;

    // Uuids of runs given before the end, to count their late pkg records; forgotten in bulk past this.
    private const int MaxRemembered = 256 * 1024;

    private readonly ImportTally _tally;
    private readonly int _maxPendingRuns;
    private readonly int _maxPendingPackages;
    private readonly Dictionary<string, XaltJoin> _pending = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly HashSet<string> _given = new(StringComparer.Ordinal);
    private int _pendingRuns;
    private int _pendingPackages;

    /// <summary>A reader counting in <paramref name="tally"/>.</summary>
    public XaltReader(ImportTally tally)
        : this(tally, DefaultMaxPendingRuns, DefaultMaxPendingPackages)
    {
    }

    /// <summary>A reader holding at most the runs and packages given while it waits.</summary>
    internal XaltReader(ImportTally tally, int maxPendingRuns, int maxPendingPackages)
    {
        ArgumentNullException.ThrowIfNull(tally);
        _tally = tally;
        _maxPendingRuns = maxPendingRuns;
        _maxPendingPackages = maxPendingPackages;
    }

    /// <summary>The Python runs of <paramref name="entries"/>, each once its <c>pkg</c> records are in; most at the end
    /// of the input, in the order their first record came.</summary>
    public IEnumerable<ImportedProcess> Read(IEnumerable<ImportEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            Take(entry);
            while (NextOverdue() is { } join)
            {
                if (Give(join) is { } process)
                {
                    yield return process;
                }
            }
        }
        while (_order.TryDequeue(out var uuid))
        {
            if (_pending.Remove(uuid, out var join) && Give(join) is { } process)
            {
                yield return process;
            }
        }
        _pendingRuns = _pendingPackages = 0;
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
            fault = Take(document.RootElement, entry.Name);
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

    private string? Take(JsonElement root, string where)
    {
        if (JsonFields.Object(root, "userT") is { } user)
        {
            return TakeRun(root, user, where);
        }
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("xalt_run_uuid", out _))
        {
            return TakePackage(root);
        }
        return "not an XALT run or pkg record";
    }

    private string? TakePackage(JsonElement root)
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
        if (_given.Contains(uuid))
        {
            return "pkg record after its run was given (too many runs waiting)";
        }
        var join = Join(uuid);
        if (join.Full)
        {
            return "pkg record past the modules a process may hold";
        }
        join.Packages.Add((name, JsonFields.Text(root, "package_path") ?? ""));
        _pendingPackages++;
        return null;
    }

    private string? TakeRun(JsonElement root, JsonElement user, string where)
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
        if (_given.Contains(uuid))
        {
            return "run record of a run given already";
        }
        double end = times is { } d ? JsonFields.Number(d, "end_time") ?? 0 : 0;
        var join = Join(uuid);
        if (join.Run != null)
        {
            if (end <= join.RunEnd)
            {
                return end == join.RunEnd ? "run record read twice" : "run start record superseded by its end record";
            }
            _tally.Skip(join.RunEnd == 0 ? "run start record superseded by its end record" : "run record superseded by a later one", join.RunWhere);
        }
        else
        {
            _pendingRuns++;
        }
        join.Run = Run(root, user, uuid, executable, seconds, times!.Value);
        join.RunWhere = where;
        join.RunEnd = end;
        join.PythonExecutable = IsPython(executable);
        return null;
    }

    private static ImportedProcess Run(JsonElement root, JsonElement user, string uuid, string executable, double start, JsonElement times)
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
        return new ImportedProcess
        {
            Source = RecordSource.Xalt,
            Identity = uuid,
            User = clip.Text(JsonFields.Text(user, "user")),
            JobId = clip.Text(JsonFields.Text(user, "job_id")),
            Account = clip.Text(JsonFields.Text(user, "account")),
            Queue = clip.Text(JsonFields.Text(user, "queue")),
            Host = clip.Text(JsonFields.Text(user, "syshost")),
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

    private XaltJoin Join(string uuid)
    {
        if (!_pending.TryGetValue(uuid, out var join))
        {
            _pending.Add(uuid, join = new XaltJoin(uuid));
            _order.Enqueue(uuid);
        }
        return join;
    }

    // The run waiting longest, while more than the bounds wait.
    private XaltJoin? NextOverdue()
    {
        while ((_pendingRuns > _maxPendingRuns || _pendingPackages > _maxPendingPackages) && _order.TryDequeue(out var uuid))
        {
            if (!_pending.Remove(uuid, out var join))
            {
                continue;
            }
            if (join.Run != null)
            {
                if (_given.Count >= MaxRemembered)
                {
                    _given.Clear();
                }
                _given.Add(uuid);
            }
            return join;
        }
        return null;
    }

    private ImportedProcess? Give(XaltJoin join)
    {
        _pendingPackages -= join.Packages.Count;
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
        _tally.Keep(process);
        return process;
    }

    private static bool IsPython(string executable) =>
        InterpreterName().IsMatch(executable.AsSpan(executable.LastIndexOf('/') + 1));

    [GeneratedRegex(@"^(python|pypy)[0-9]*(\.[0-9]+)?[a-z]?$", RegexOptions.CultureInvariant)]
    private static partial Regex InterpreterName();
}
