namespace Polaris.Collector.Scheduler;

/// <summary>What one read of an accounting log took, skipped and could not read.</summary>
public sealed class PbsImportSummary
{
    /// <summary>Lines read, each counted once whatever became of it.</summary>
    public required long Lines { get; init; }

    /// <summary>End (<c>E</c>) records taken.</summary>
    public required long EndRecords { get; init; }

    /// <summary>Start (<c>S</c>) records taken.</summary>
    public required long StartRecords { get; init; }

    /// <summary>Records taken, of both types.</summary>
    public long RecordsTaken => EndRecords + StartRecords;

    /// <summary>Well-formed lines of other record types (<c>Q</c>, <c>D</c>, <c>A</c>, <c>R</c>, <c>L</c>...), by
    /// type letter; at most 52 entries, since a type that is not one ASCII letter makes the line malformed.</summary>
    public required IReadOnlyDictionary<char, long> SkippedByType { get; init; }

    /// <summary>Lines skipped for their type, of all types.</summary>
    public long Skipped => SkippedByType.Values.Sum();

    /// <summary>Lines that could not be read as a record.</summary>
    public required long MalformedLines { get; init; }

    /// <summary>The first malformed lines (at most <see cref="PbsAccountingReader.MaxErrorsKept"/>), in line order.</summary>
    public required IReadOnlyList<PbsParseError> FirstErrors { get; init; }

    /// <summary>Bytes of the log up to the end of the last line read, its newline included: where a later read of a
    /// log PBS is still writing resumes.</summary>
    public required long BytesRead { get; init; }
}
