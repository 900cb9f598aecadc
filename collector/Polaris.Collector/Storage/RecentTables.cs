using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>The module tables summaries named lately, found again without hashing: the decoder hands out one string
/// for the same bytes (<see cref="StringPool"/>), so the summary of a node whose table was seen before compares equal
/// to it reference by reference, where hashing its 600 names, files and versions took a tenth of a millisecond.</summary>
/// <remarks>Bounded (a fixed number of slots, each the last table whose shape fell in it) and safe for the concurrent
/// posts that prepare their batches together: a slot is one reference, replaced whole. A table found here is the one
/// computed from equal content, so its hash is the hash the summary's own content has.</remarks>
public sealed class RecentTables
{
    private const int Slots = 256;
    private readonly ModuleTable?[] _slots = new ModuleTable?[Slots];

    /// <summary>The table of <paramref name="summary"/>, from a recent one with the same content or else computed.</summary>
    public ModuleTable Of(ProcessSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ref var slot = ref _slots[SlotOf(summary)];
        var recent = Volatile.Read(ref slot);
        if (recent != null && recent.SameContent(summary))
        {
            return recent;
        }
        var table = ModuleTable.Of(summary);
        Volatile.Write(ref slot, table);
        return table;
    }

    private static int SlotOf(ProcessSummary summary)
    {
        var modules = summary.Modules;
        var last = modules.Count > 0 ? modules[^1].Name : "";
        return (HashCode.Combine(modules.Count, summary.SharedObjects.Count, last) & int.MaxValue) % Slots;
    }
}
