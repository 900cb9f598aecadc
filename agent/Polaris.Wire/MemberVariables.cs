using System.Collections.ObjectModel;
using System.Text;

namespace Polaris.Wire;

/// <summary>A member's allowlisted variables that differ from its summary's <see cref="JobContext.Variables"/> (its
/// first member's): the summary keeps one set, and each member what is its own (issue 10, item 14).</summary>
/// <remarks>
/// The ranks of a job differ in a few variables (<c>PMI_RANK</c>, <c>CUDA_VISIBLE_DEVICES</c>), two runs of a script
/// merged in one quiet window perhaps in one more; listing only those keeps a 10,000-member summary small. A value of
/// null is a variable the summary's job has and the member had not set: an empty string is a value a process can have.
/// </remarks>
public static class MemberVariables
{
    /// <summary>No variable differs: what almost every member of a summary has.</summary>
    public static IReadOnlyDictionary<string, string?> None { get; } = ReadOnlyDictionary<string, string?>.Empty;

    // Each entry's name and value headers (a str8 name, a str16 value or nil) and the map's header (a map16 holds 64).
    private const int EntryBytes = 6;
    private const int MapBytes = 3;

    /// <summary>What <paramref name="member"/> holds that <paramref name="summary"/> does not, by name in ordinal order.</summary>
    /// <param name="summary">The summary's variables.</param>
    /// <param name="member">The member's own.</param>
    /// <param name="leftOut">Entries left out to stay within <see cref="SummaryBounds"/>: past
    /// <see cref="SummaryBounds.MaxVariables"/> (the names last in order go), or a name that is no variable's (a value
    /// past <see cref="SummaryBounds.MaxVariableBytes"/> is blanked and counted too). A daemon's records are clipped so
    /// already, and two of them differ in at most twice the bound.</param>
    public static IReadOnlyDictionary<string, string?> Between(IReadOnlyDictionary<string, string> summary, IReadOnlyDictionary<string, string> member, out int leftOut)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(member);
        leftOut = 0;
        if (ReferenceEquals(summary, member))
        {
            return None;
        }
        List<KeyValuePair<string, string?>>? differ = null;
        int shared = 0;
        foreach (var (name, value) in member)
        {
            if (summary.TryGetValue(name, out var had))
            {
                shared++;
                if (string.Equals(had, value, StringComparison.Ordinal))
                {
                    continue;
                }
            }
            (differ ??= []).Add(new(name, value));
        }
        // Every name of the summary's was met in the member's: none is unset there.
        if (shared < summary.Count)
        {
            foreach (var name in summary.Keys)
            {
                if (!member.ContainsKey(name))
                {
                    (differ ??= []).Add(new(name, null));
                }
            }
        }
        return differ == null ? None : Bounded(differ, ref leftOut);
    }

    private static Dictionary<string, string?> Bounded(List<KeyValuePair<string, string?>> differ, ref int leftOut)
    {
        // In name order, so that the same differences read the same wherever they are compared, and the clip is stable.
        differ.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var kept = new Dictionary<string, string?>(Math.Min(differ.Count, SummaryBounds.MaxVariables), StringComparer.Ordinal);
        foreach (var (name, value) in differ)
        {
            if (kept.Count >= SummaryBounds.MaxVariables || !SummaryBounds.IsVariableName(name))
            {
                leftOut++;
                continue;
            }
            bool tooLong = value != null && (long)value.Length * 3 > SummaryBounds.MaxVariableBytes && Encoding.UTF8.GetByteCount(value) > SummaryBounds.MaxVariableBytes;
            leftOut += tooLong ? 1 : 0;
            kept.Add(name, tooLong ? "" : value);
        }
        return kept;
    }

    /// <summary>An upper bound of what <paramref name="variables"/> take encoded as a member's trailing map.</summary>
    public static long EncodedBytesBound(IReadOnlyDictionary<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (variables.Count == 0)
        {
            return 0;
        }
        long bytes = MapBytes;
        foreach (var (name, value) in variables)
        {
            // UTF-8 takes at most three bytes for each UTF-16 unit.
            bytes += EntryBytes + (3L * name.Length) + (3L * (value?.Length ?? 0));
        }
        return bytes;
    }
}
