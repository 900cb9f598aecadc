namespace Polaris.Collector.Scheduler;

/// <summary>Reads the job records of a PBS Professional accounting log as a stream, in memory bounded whatever the
/// log holds.</summary>
/// <remarks>
/// <para>A log (<c>server_priv/accounting/YYYYMMDD</c>) has one record a line,
/// <c>MM/DD/YYYY HH:MM:SS;type;job id;key=value ...</c>, the date in the server's local time. End records
/// (<c>E</c>) and start records (<c>S</c>) are taken; the store keeps a start record only while its job has no end
/// record (<see cref="PbsJobRecord.Supersedes"/>). Other types are counted by letter and skipped.</para>
/// <para>A line that cannot be a record (a bad date or type, fewer than four fields, invalid UTF-8, a number that
/// does not parse or is out of its bounds, an unterminated quote, more than <see cref="MaxLineBytes"/>) is counted
/// with its line number and skipped: one damaged line costs that line only. Nothing of a line is held past
/// <see cref="MaxLineBytes"/>, and only the attributes read are copied out of it, so a line of gigabytes without a
/// newline costs a bounded buffer.</para>
/// <para>A reader reads its stream once, from where the stream is, and does not own it.</para>
/// </remarks>
public sealed class PbsAccountingReader
{
    /// <summary>The longest line read, in bytes; PBS's longest (an end record of a job on thousands of nodes, with
    /// its <c>exec_host</c> and <c>exec_vnode</c>) is a few hundred kilobytes.</summary>
    public const int MaxLineBytes = 1 << 20;

    /// <summary>The most malformed lines described in <see cref="PbsImportSummary.FirstErrors"/>; the rest are counted.</summary>
    public const int MaxErrorsKept = 1000;

    private readonly BoundedLineReader _lines;
    private readonly TimeZoneInfo _serverTimeZone;
    private readonly bool _leavePartialLastLine;
    private readonly PbsImportTally _tally = new();
    private int _reading;
    private long _bytesRead;

    /// <summary>A reader of <paramref name="log"/>.</summary>
    /// <param name="log">The log, read from its current position; the caller disposes it.</param>
    /// <param name="serverTimeZone">The PBS server's time zone, in which the log's dates are written.</param>
    /// <param name="leavePartialLastLine">Leave a last line without a newline unread and uncounted, for a log PBS is
    /// still writing: that line may be cut anywhere, even after a number's first digits. <see cref="Summary"/>'s
    /// <see cref="PbsImportSummary.BytesRead"/> then says where to resume.</param>
    public PbsAccountingReader(Stream log, TimeZoneInfo serverTimeZone, bool leavePartialLastLine = false)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(serverTimeZone);
        _lines = new BoundedLineReader(log, MaxLineBytes);
        _serverTimeZone = serverTimeZone;
        _leavePartialLastLine = leavePartialLastLine;
    }

    /// <summary>What the read has taken, skipped and refused so far; complete once <see cref="ReadRecords"/> has
    /// been enumerated to its end.</summary>
    public PbsImportSummary Summary => _tally.Snapshot(_bytesRead);

    /// <summary>The start and end records of the log, in log order, read as they are enumerated.</summary>
    /// <exception cref="InvalidOperationException">The reader was asked for its records before (a stream is read
    /// once).</exception>
    /// <exception cref="IOException">Enumerating: the stream failed. No other exception comes of what the log
    /// holds.</exception>
    public IEnumerable<PbsJobRecord> ReadRecords()
    {
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            throw new InvalidOperationException("an accounting reader reads its stream once");
        }
        return Records();
    }

    /// <summary>Reads the log at <paramref name="path"/>, handing each record to <paramref name="onRecord"/>.</summary>
    /// <remarks>The file is opened for reading while PBS may append to it.</remarks>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be opened.</exception>
    public static PbsImportSummary ReadFile(string path, TimeZoneInfo serverTimeZone, Action<PbsJobRecord> onRecord,
        bool leavePartialLastLine = false)
    {
        ArgumentNullException.ThrowIfNull(onRecord);
        using var log = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            bufferSize: 0, FileOptions.SequentialScan);
        var reader = new PbsAccountingReader(log, serverTimeZone, leavePartialLastLine);
        foreach (var record in reader.ReadRecords())
        {
            onRecord(record);
        }
        return reader.Summary;
    }

    private IEnumerable<PbsJobRecord> Records()
    {
        long number = 0;
        while (true)
        {
            var record = Next(ref number, out bool ended);
            if (ended)
            {
                yield break;
            }
            if (record != null)
            {
                yield return record;
            }
        }
    }

    // Out of the iterator, since a line is a span over the reader's buffer, valid until the next line is read.
    private PbsJobRecord? Next(ref long number, out bool ended)
    {
        ended = !_lines.Next(out var line, out bool tooLong, out bool terminated);
        if (ended || (!terminated && _leavePartialLastLine))
        {
            ended = true;
            return null;
        }
        _bytesRead = _lines.Consumed;
        number = checked(number + 1);
        _tally.Line();
        if (tooLong)
        {
            _tally.Malformed(number, $"the line is longer than {MaxLineBytes} bytes");
            return null;
        }
        var record = PbsLine.Parse(line, _serverTimeZone, out char skipped, out string? fault);
        if (record != null)
        {
            _tally.Took(record.Type);
        }
        else if (fault != null)
        {
            _tally.Malformed(number, fault);
        }
        else
        {
            _tally.Skipped(skipped);
        }
        return record;
    }
}
