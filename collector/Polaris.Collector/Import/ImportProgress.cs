using System.Diagnostics;
using System.Globalization;

namespace Polaris.Collector.Import;

/// <summary>Shows an import's progress on standard error: a line redrawn in place on a terminal, a plain line every
/// <see cref="PlainEvery"/> otherwise (a log keeps every line).</summary>
public sealed class ImportProgress(ImportTally tally, TextWriter error, bool terminal)
{
    /// <summary>How often a line is written when standard error is no terminal.</summary>
    public static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(250);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _last;

    /// <summary>Called after each batch: writes when it is time.</summary>
    public void Update(long stored)
    {
        var now = _clock.Elapsed;
        if (now - _last < (terminal ? RedrawEvery : PlainEvery))
        {
            return;
        }
        _last = now;
        var line = Line(stored, now);
        if (terminal)
        {
            error.Write("\r" + line + "\u001b[K");
        }
        else
        {
            error.WriteLine(line);
        }
    }

    /// <summary>Ends the redrawn line, so that what follows starts on its own.</summary>
    public void Done(long stored)
    {
        if (terminal)
        {
            error.Write("\r" + Line(stored, _clock.Elapsed) + "\u001b[K\n");
        }
    }

    private string Line(long stored, TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"{tally.Entries} files, {tally.Records} records, {tally.Kept} processes, {stored} stored, {tally.SkippedTotal} skipped, {tally.Kept / Math.Max(elapsed.TotalSeconds, 0.001):F0} processes/s");
}
