namespace Polaris.Collector.Scheduler;

/// <summary>The running counts of one read, from which <see cref="PbsImportSummary"/> snapshots are taken.</summary>
internal sealed class PbsImportTally
{
    private readonly SortedDictionary<char, long> _skipped = [];
    private readonly List<PbsParseError> _errors = [];
    private long _lines;
    private long _ends;
    private long _starts;
    private long _malformed;

    public void Line() => _lines = checked(_lines + 1);

    public void Took(PbsRecordType type)
    {
        if (type == PbsRecordType.End)
        {
            _ends = checked(_ends + 1);
        }
        else
        {
            _starts = checked(_starts + 1);
        }
    }

    public void Skipped(char type) => _skipped[type] = checked(_skipped.GetValueOrDefault(type) + 1);

    public void Malformed(long line, string reason)
    {
        _malformed = checked(_malformed + 1);
        if (_errors.Count < PbsAccountingReader.MaxErrorsKept)
        {
            _errors.Add(new PbsParseError(line, reason));
        }
    }

    public PbsImportSummary Snapshot(long bytesRead) => new()
    {
        Lines = _lines,
        EndRecords = _ends,
        StartRecords = _starts,
        SkippedByType = new SortedDictionary<char, long>(_skipped),
        MalformedLines = _malformed,
        FirstErrors = _errors.ToArray(),
        BytesRead = bytesRead,
    };
}
