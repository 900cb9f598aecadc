using System.Globalization;
using Polaris.Collector.Cli;
using Polaris.Wire;

namespace Polaris.Collector.Import;

/// <summary>What one import read, kept and skipped, shared by the input walker and the reader: printed at the end of
/// an import so that nothing it left out is silent.</summary>
/// <remarks>Reasons are words fixed by the code (never a record's text), so there are few of them and they count
/// well; each keeps the first <see cref="ExamplesPerReason"/> places it happened, which may name files and lines.</remarks>
public sealed class ImportTally
{
    /// <summary>Places kept for each reason; the rest are counted only.</summary>
    public const int ExamplesPerReason = 5;

    /// <summary>What a process kept with <see cref="ImportedProcess.UserFromRecord"/> is noted as.</summary>
    public const string UserFromRecord = "user taken from the record, not verified: its file is owned by root or by no known user";

    private readonly SortedDictionary<string, long> _skipped = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _noted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _examples = new(StringComparer.Ordinal);

    /// <summary>Files and archive entries handed to a reader.</summary>
    public long Entries { get; private set; }

    /// <summary>Records read (a JSON file for XALT, a line for PyModuleSnooper), whatever became of them.</summary>
    public long Records { get; private set; }

    /// <summary>Processes the reader gave.</summary>
    public long Kept { get; private set; }

    /// <summary>What was clipped from the processes kept.</summary>
    public Clips Clipped { get; private set; }

    /// <summary>Files, entries and records skipped, by reason.</summary>
    public IReadOnlyDictionary<string, long> Skipped => _skipped;

    /// <summary>Records kept, but with something a person should know (a user taken from the record, not its file's
    /// owner), by what.</summary>
    public IReadOnlyDictionary<string, long> Noted => _noted;

    /// <summary>All skipped, whatever the reason.</summary>
    public long SkippedTotal => _skipped.Values.Sum();

    /// <summary>The first places of each reason of <see cref="Skipped"/> and <see cref="Noted"/>.</summary>
    public IReadOnlyList<string> ExamplesOf(string reason) =>
        _examples.TryGetValue(reason, out var places) ? places : [];

    internal void Entry() => Entries = checked(Entries + 1);

    internal void Record() => Records = checked(Records + 1);

    internal void Keep(ImportedProcess process, string where)
    {
        Kept = checked(Kept + 1);
        Clipped += process.Clips;
        if (process.UserFromRecord)
        {
            Note(UserFromRecord, where);
        }
    }

    internal void Skip(string reason, string where, long count = 1)
    {
        _skipped[reason] = checked(_skipped.GetValueOrDefault(reason) + count);
        Example(reason, where);
    }

    internal void Note(string what, string where)
    {
        _noted[what] = checked(_noted.GetValueOrDefault(what) + 1);
        Example(what, where);
    }

    private void Example(string reason, string where)
    {
        if (!_examples.TryGetValue(reason, out var places))
        {
            _examples.Add(reason, places = []);
        }
        if (places.Count < ExamplesPerReason)
        {
            places.Add(where);
        }
    }

    /// <summary>Writes the tally for a person: one line of counts, then each reason with its count and first places (a
    /// place names a file or an archive's entry, which its maker chose: printed through <see cref="TerminalText"/>).</summary>
    public void WriteTo(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Entries} files read, {Records} records, {Kept} processes kept, {SkippedTotal} skipped"));
        if (!Clipped.IsEmpty)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  clipped to the wire's bounds: {Clipped.Modules} modules, {Clipped.SharedObjects} shared objects, {Clipped.Texts} texts, {Clipped.Numbers} numbers"));
        }
        foreach (var (reason, count) in _skipped)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {count} skipped: {reason}"));
            foreach (var place in ExamplesOf(reason))
            {
                output.WriteLine("    " + TerminalText.Safe(place));
            }
        }
        foreach (var (what, count) in _noted)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {count} kept, noted: {what}"));
            foreach (var place in ExamplesOf(what))
            {
                output.WriteLine("    " + place);
            }
        }
    }
}
