using System.Globalization;
using Polaris.Collector.Cli;

namespace Polaris.Collector.Scheduler;

/// <summary>What importing one accounting log did: what the reader took, skipped and could not read, and what the
/// store did with the records. The answer of <c>POST /v1/pbs</c>, and what <c>import-pbs</c> prints.</summary>
public sealed record PbsImportReport
{
    /// <summary>The malformed lines <see cref="WriteTo"/> lists; the report holds up to
    /// <see cref="PbsAccountingReader.MaxErrorsKept"/>.</summary>
    public const int ErrorsPrinted = 10;

    /// <summary>Lines read.</summary>
    public long Lines { get; init; }

    /// <summary>End (<c>E</c>) records taken.</summary>
    public long EndRecords { get; init; }

    /// <summary>Start (<c>S</c>) records taken.</summary>
    public long StartRecords { get; init; }

    /// <summary>Well-formed lines of the other record types, skipped.</summary>
    public long SkippedLines { get; init; }

    /// <summary>Lines that could not be read as a record.</summary>
    public long MalformedLines { get; init; }

    /// <summary>The first malformed lines, by number, with why.</summary>
    public IReadOnlyList<PbsParseError> FirstErrors { get; init; } = [];

    /// <summary>Jobs the collector had seen that the log updated.</summary>
    public long JobsUpdated { get; init; }

    /// <summary>Jobs not seen yet, whose records are kept for when their summaries come.</summary>
    public long JobsNotSeen { get; init; }

    /// <summary>Records that changed nothing (known already, or beaten by a record stored).</summary>
    public long RecordsKnown { get; init; }

    /// <summary>The job counts may count a job twice (<see cref="PbsJobTally.Approximate"/>).</summary>
    public bool JobsApproximate { get; init; }

    /// <summary>The report of a read and what the store did with its records.</summary>
    public static PbsImportReport Of(PbsImportSummary read, PbsJobTally stored)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(stored);
        return new PbsImportReport
        {
            Lines = read.Lines,
            EndRecords = read.EndRecords,
            StartRecords = read.StartRecords,
            SkippedLines = read.Skipped,
            MalformedLines = read.MalformedLines,
            FirstErrors = read.FirstErrors,
            JobsUpdated = stored.JobsUpdated,
            JobsNotSeen = stored.JobsNotSeen,
            RecordsKnown = stored.RecordsKnown,
            JobsApproximate = stored.Approximate,
        };
    }

    /// <summary>Writes the report of <paramref name="log"/> for a person: three lines, then the first malformed lines.</summary>
    public void WriteTo(TextWriter output, string log)
    {
        ArgumentNullException.ThrowIfNull(output);
        var about = JobsApproximate ? "about " : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{log}: {Lines} lines, {EndRecords + StartRecords} records taken ({EndRecords} E, {StartRecords} S), {SkippedLines} lines of other types skipped"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  jobs updated: {about}{JobsUpdated}; jobs not seen yet (kept for their summaries): {about}{JobsNotSeen}; records already known: {RecordsKnown}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  malformed lines: {MalformedLines}{(MalformedLines > ErrorsPrinted ? $", the first {ErrorsPrinted}" : "")}"));
        foreach (var error in FirstErrors.Take(ErrorsPrinted))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    line {error.Line}: {TerminalText.Safe(error.Reason)}"));
        }
    }
}
