using System.Globalization;
using System.Text.Json;
using Polaris.Collector.Scheduler;
using Polaris.Wire;

namespace Polaris.Collector.Import;

/// <summary>Reads ALCF's PyModuleSnooper logs: one JSON object a line, one process each, with its
/// <c>timestamp</c>, <c>hostname</c>, <c>pid</c>, <c>sys.executable</c>, <c>modules</c> (name to file),
/// <c>versions</c> (name to <c>__version__</c>, <c>"None"</c> for none) and its whole <c>env</c>.</summary>
/// <remarks>
/// <para>The environment is cut to the hook's allowlist (<see cref="AllowedVariables"/>) as it is read: nothing else
/// of it is kept, except that the user's name (for a file no user owns, below) comes from <c>LOGNAME</c>, or
/// <c>USER</c> when that is missing or empty (the order of Python's <c>getpass.getuser()</c>; PBS sets both to the
/// job's owner), and the working directory from <c>PWD</c> (the directory the process was started in, as its shell
/// saw it). The job comes from <c>PBS_JOBID</c> as written (<c>1234501.polaris-pbs-01</c>), the account from
/// <c>PBS_ACCOUNT</c>, the queue from <c>PBS_QUEUE</c>, the rank from <c>PALS_RANKID</c> or <c>PMI_RANK</c>
/// (<see cref="ImportedRank"/>).</para>
/// <para>A line counts as its file's owner's when a user owns the file (<see cref="ImportEntry.Owner"/>): the log
/// file is written by the process itself, and its content is whatever that user put there, <c>LOGNAME</c> included.
/// A line naming another user is noted. Only for a file owned by root (an admin's copy) or by no known user is the
/// environment's user taken, and the process marked (<see cref="ImportedProcess.UserFromRecord"/>).</para>
/// <para>The timestamp is the node's local time (<c>datetime.now()</c>), read in the zone given.</para>
/// <para>A line that is no record (cut short, not JSON, no host, pid or timestamp, longer than
/// <see cref="MaxLineBytes"/>) is counted in the tally with its file and line and skipped; nothing a log holds makes
/// the reader throw, and nothing of a line is held past <see cref="MaxLineBytes"/>.</para>
/// </remarks>
public sealed class PyModuleSnooperReader
{
    /// <summary>The longest line read: a process with 3,000 modules writes about 400 KB.</summary>
    public const int MaxLineBytes = 16 << 20;

    /// <summary>What a line whose user is not its file's owner is noted as.</summary>
    public const string OtherUser = "record names a user other than its file's owner (counted as the owner's)";

    private const string TimestampFormat = "MM-dd-yyyy HH:mm:ss.ffffff";

    private readonly ImportTally _tally;
    private readonly TimeZoneInfo _nodeTimeZone;
    private byte[] _line = [];

    /// <summary>A reader counting in <paramref name="tally"/>, reading timestamps in <paramref name="nodeTimeZone"/>.</summary>
    public PyModuleSnooperReader(ImportTally tally, TimeZoneInfo nodeTimeZone)
    {
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(nodeTimeZone);
        _tally = tally;
        _nodeTimeZone = nodeTimeZone;
    }

    /// <summary>The processes of <paramref name="entries"/>, in the order of their files and lines.</summary>
    public IEnumerable<ImportedProcess> Read(IEnumerable<ImportEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            var lines = new BoundedLineReader(entry.Content, MaxLineBytes);
            long number = 0;
            while (true)
            {
                var process = Next(entry, lines, ref number, out bool ended);
                if (ended)
                {
                    break;
                }
                if (process != null)
                {
                    yield return process;
                }
            }
        }
    }

    // Out of the iterator, since a line is a span over the reader's buffer, valid until the next line is read.
    private ImportedProcess? Next(ImportEntry entry, BoundedLineReader lines, ref long number, out bool ended)
    {
        ReadOnlySpan<byte> line;
        bool tooLong;
        try
        {
            ended = !lines.Next(out line, out tooLong, out _);
        }
        catch (Exception e) when (ImportEntry.IsReadFailure(e))
        {
            _tally.Skip(ImportEntry.Describe(e), entry.Name);
            ended = true;
            return null;
        }
        if (ended)
        {
            return null;
        }
        number++;
        string where = string.Create(CultureInfo.InvariantCulture, $"{entry.Name}:{number}");
        if (!tooLong && line.Trim(" \t\r"u8).IsEmpty)
        {
            return null;
        }
        _tally.Record();
        if (tooLong)
        {
            _tally.Skip($"line longer than {MaxLineBytes} bytes", where);
            return null;
        }
        if (_line.Length < line.Length)
        {
            _line = new byte[Math.Max(line.Length, Math.Min(_line.Length * 2, MaxLineBytes))];
        }
        line.CopyTo(_line);
        var process = Parse(_line.AsMemory(0, line.Length), entry.Owner, out string? fault);
        if (process == null)
        {
            _tally.Skip(fault!, where);
            return null;
        }
        if (entry.Owner.IsUser)
        {
            // The owner's: a process's environment says who it runs as only if no one edited the log since.
            if (process.User.Length > 0 && process.User != entry.Owner.Name)
            {
                _tally.Note(OtherUser, where);
            }
            process = process with { User = entry.Owner.Name };
        }
        _tally.Keep(process, where);
        return process;
    }

    private ImportedProcess? Parse(ReadOnlyMemory<byte> json, EntryOwner owner, out string? fault)
    {
        try
        {
            using var document = JsonDocument.Parse(json, JsonFields.Options);
            return Parse(document.RootElement, owner, out fault);
        }
        catch (JsonException)
        {
            fault = "not a JSON record (malformed or cut short)";
            return null;
        }
        catch (InvalidOperationException)
        {
            // A property name of lone surrogates, which JSON's escapes can write and no string can hold.
            fault = "not a JSON record (a name that is no text)";
            return null;
        }
    }

    private ImportedProcess? Parse(JsonElement root, EntryOwner owner, out string? fault)
    {
        var clip = new ProcessClipper();
        string host = clip.Text(JsonFields.Text(root, "hostname"));
        long? pid = JsonFields.Integer(root, "pid");
        string? stamp = JsonFields.Text(root, "timestamp");
        fault = root.ValueKind != JsonValueKind.Object ? "not a JSON object"
            : host.Length == 0 ? "no hostname"
            : pid is not (>= 0 and <= int.MaxValue) ? "no pid"
            : null;
        if (fault != null)
        {
            return null;
        }
        if (Start(stamp) is not { } start)
        {
            fault = "no timestamp of the form MM-DD-YYYY HH:MM:SS.ffffff, or one outside 2000 to 2100";
            return null;
        }
        if (JsonFields.Object(root, "modules") is not { } modules)
        {
            fault = "no modules";
            return null;
        }
        var versions = JsonFields.Object(root, "versions");
        foreach (var module in modules.EnumerateObject())
        {
            if (module.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                clip.ModuleLeftOut();
                continue;
            }
            var version = versions is { } known ? JsonFields.Text(known, module.Name) : null;
            clip.Module(module.Name, JsonFields.Text(module.Value), version is "None" or "" ? null : version);
        }
        string? logName = null, user = null, pwd = null;
        if (JsonFields.Object(root, "env") is { } environment)
        {
            foreach (var variable in environment.EnumerateObject())
            {
                var value = JsonFields.Text(variable.Value);
                switch (variable.Name)
                {
                    case "LOGNAME":
                        logName = value;
                        break;
                    case "USER":
                        user = value;
                        break;
                    case "PWD":
                        pwd = value;
                        break;
                    default:
                        clip.Variable(variable.Name, value);
                        break;
                }
            }
        }
        var variables = clip.Variables;
        return new ImportedProcess
        {
            Source = RecordSource.PyModuleSnooper,
            Identity = owner.IsUser
                ? string.Create(CultureInfo.InvariantCulture, $"{owner.Uid}/{host}/{pid}/{stamp}")
                : string.Create(CultureInfo.InvariantCulture, $"{host}/{pid}/{stamp}"),
            User = clip.Text(string.IsNullOrEmpty(logName) ? user : logName),
            UserFromRecord = !owner.IsUser,
            JobId = clip.Text(Variable(variables, "PBS_JOBID") ?? Variable(variables, "SLURM_JOB_ID")),
            Account = clip.Text(Variable(variables, "PBS_ACCOUNT") ?? Variable(variables, "SLURM_JOB_ACCOUNT")),
            Queue = clip.Text(Variable(variables, "PBS_QUEUE") ?? Variable(variables, "SLURM_JOB_PARTITION")),
            Host = host,
            Start = start,
            Executable = clip.Text(JsonFields.Text(root, "sys.executable"), SummaryBounds.MaxPathBytes),
            WorkingDirectory = clip.Text(pwd, SummaryBounds.MaxPathBytes),
            Rank = ImportedRank.Of(variables),
            Modules = clip.Modules,
            Variables = variables,
            Clips = clip.Clips,
        };
    }

    private DateTimeOffset? Start(string? stamp)
    {
        if (stamp == null || !DateTime.TryParseExact(stamp, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }
        if (local.Year is < 1999 or > 2101)
        {
            // Outside the bounds whatever the zone, and near DateTime's ends an offset would not fit.
            return null;
        }
        // A time in the hour a clock skipped has no UTC reading; the zone's standard offset is as good as any.
        var start = new DateTimeOffset(local, _nodeTimeZone.GetUtcOffset(local)).ToUniversalTime();
        long ms = start.ToUnixTimeMilliseconds();
        return ms is >= SummaryBounds.MinTimeMs and <= SummaryBounds.MaxTimeMs ? start : null;
    }

    private static string? Variable(IReadOnlyDictionary<string, string> variables, string name) =>
        variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}
