using System.Text;

namespace Polaris.Wire;

/// <summary>Brings an environment's changes within what the collector takes (<see cref="SummaryRules"/>) and within
/// a share of a summary's size, before they go into any summary.</summary>
/// <remarks>The changes come from files a user controls (conda-meta names of megabytes, <c>METADATA</c> versions of
/// 64 KiB, 20,000 entries): unclipped, one user's environment made every summary of theirs too large for the
/// collector, and a batch of such summaries too large for either side, which refused it whole with other users'
/// summaries in it. An entry with a text past its bound is left out, each list is cut at
/// <see cref="SummaryBounds.MaxPackageChanges"/>, and changes whose encoded size could still pass
/// <see cref="MaxChangesBytes"/> are left out whole (a list cut anywhere would misreport the environment).</remarks>
public static class EnvironmentClip
{
    /// <summary>Most bytes an environment's changes may take encoded: a third of a summary, so that a summary whose
    /// header holds them still has room for its members and modules.</summary>
    public const long MaxChangesBytes = SummaryBounds.MaxSummaryBytes / 3;

    // MessagePack headers of an entry and its texts, at most.
    private const int EntryBytes = 16;

    /// <summary><paramref name="changes"/> within the bounds; <paramref name="leftOut"/> counts the entries left out.</summary>
    public static EnvironmentChanges Clip(EnvironmentChanges changes, out int leftOut)
    {
        ArgumentNullException.ThrowIfNull(changes);
        int dropped = 0;
        var clipped = changes with
        {
            CondaAdded = Keep(changes.CondaAdded, CondaFits, ref dropped),
            CondaRemoved = Keep(changes.CondaRemoved, CondaFits, ref dropped),
            CondaChanged = Keep(changes.CondaChanged, p => Fits(p.Name, SummaryBounds.MaxNameBytes) && Fits(p.Version, SummaryBounds.MaxTextBytes) && Fits(p.BaseVersion, SummaryBounds.MaxTextBytes), ref dropped),
            PipInstalled = Keep(changes.PipInstalled, p => Fits(p.Name, SummaryBounds.MaxNameBytes) && Fits(p.Version, SummaryBounds.MaxTextBytes), ref dropped),
            PythonPath = Keep(changes.PythonPath, p => Fits(p, SummaryBounds.MaxPathBytes), ref dropped),
            UserSite = Fits(changes.UserSite, SummaryBounds.MaxPathBytes) ? changes.UserSite : "",
        };
        if (EncodedBytesBound(clipped) > MaxChangesBytes)
        {
            dropped += clipped.CondaAdded.Count + clipped.CondaRemoved.Count + clipped.CondaChanged.Count + clipped.PipInstalled.Count;
            clipped = clipped with { CondaAdded = [], CondaRemoved = [], CondaChanged = [], PipInstalled = [] };
        }
        leftOut = dropped;
        return dropped == 0 && ReferenceEquals(clipped.UserSite, changes.UserSite) ? changes : clipped;
    }

    /// <summary>An upper bound of the changes' MessagePack size.</summary>
    public static long EncodedBytesBound(EnvironmentChanges changes) => Measure(changes, EntryBytes, Bytes);

    /// <summary>The changes measured entry by entry: <paramref name="entryBytes"/> for each entry (and the whole),
    /// <paramref name="textBytes"/> for each of their texts.</summary>
    public static long Measure(EnvironmentChanges changes, long entryBytes, Func<string, long> textBytes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(textBytes);
        long bytes = entryBytes + textBytes(changes.UserSite);
        foreach (var p in changes.CondaAdded.Concat(changes.CondaRemoved))
        {
            bytes += entryBytes + textBytes(p.Name) + textBytes(p.Version) + textBytes(p.Build) + textBytes(p.Channel);
        }
        foreach (var p in changes.CondaChanged)
        {
            bytes += entryBytes + textBytes(p.Name) + textBytes(p.Version) + textBytes(p.BaseVersion);
        }
        foreach (var p in changes.PipInstalled)
        {
            bytes += entryBytes + textBytes(p.Name) + textBytes(p.Version);
        }
        foreach (var path in changes.PythonPath)
        {
            bytes += entryBytes + textBytes(path);
        }
        return bytes;
    }

    private static bool CondaFits(CondaPackage p) =>
        Fits(p.Name, SummaryBounds.MaxNameBytes) && Fits(p.Version, SummaryBounds.MaxTextBytes) && Fits(p.Build, SummaryBounds.MaxTextBytes) && Fits(p.Channel, SummaryBounds.MaxPathBytes);

    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair takes 4 for two).
    private static long Bytes(string text) => 3L * text.Length;

    private static bool Fits(string text, int maxBytes) =>
        (long)text.Length * 3 <= maxBytes || Encoding.UTF8.GetByteCount(text) <= maxBytes;

    private static IReadOnlyList<T> Keep<T>(IReadOnlyList<T> entries, Func<T, bool> fits, ref int dropped)
    {
        int fitting = 0;
        foreach (var entry in entries)
        {
            fitting += fits(entry) ? 1 : 0;
        }
        if (fitting == entries.Count && entries.Count <= SummaryBounds.MaxPackageChanges)
        {
            return entries;
        }
        var kept = entries.Where(fits).Take(SummaryBounds.MaxPackageChanges).ToArray();
        dropped += entries.Count - kept.Length;
        return kept;
    }
}
