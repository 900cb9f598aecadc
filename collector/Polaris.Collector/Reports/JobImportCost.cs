using Polaris.Collector.Storage;

namespace Polaris.Collector.Reports;

/// <summary>What one job spent importing, by the definition docs/analysis.md gives ("Import cost in node-hours"): each
/// node's wall time with a process of the job importing, the slowest node's, and that times the job's node count.</summary>
/// <remarks>A summary holds one launch's processes on one node (the ranks of an MPI run import at once), so its
/// processes' import intervals, each taken from the process's start, are united: ranks that import together count once.
/// A node's summaries (launches one after another) add up. The job holds all its nodes while its slowest node imports.
/// Libraries are tracked by index into the report's list, so a job costs a fixed few longs whatever it loaded.</remarks>
/// <param name="key">The job key.</param>
/// <param name="libraries">How many libraries the report tracks.</param>
public sealed class JobImportCost(string key, int libraries)
{
    private readonly Dictionary<string, long> _nodeWallNs = new(StringComparer.Ordinal);

    public string Key { get; } = key;

    /// <summary>The user of the job's first summary read: number and name.</summary>
    public (long Uid, string Name) User { get; private set; } = (-1, "");

    /// <summary>Processes timed.</summary>
    public long Processes { get; private set; }

    /// <summary>Their import times summed, in ns: the job's process-seconds of importing.</summary>
    public long ImportNs { get; private set; }

    /// <summary>Per tracked library, its top-level import times summed over the job's processes, in ns.</summary>
    public long[] LibraryNs { get; } = new long[libraries];

    /// <summary>The node count the most summaries gave (the job's environment as its processes saw it); 0 when none.</summary>
    public int ReportedNodes { get; private set; }

    /// <summary>Distinct nodes that reported the job.</summary>
    public int NodesSeen => _nodeWallNs.Count;

    /// <summary>The slowest node's wall time with a process of the job importing, in ns.</summary>
    public long WallNs => _nodeWallNs.Count == 0 ? 0 : _nodeWallNs.Values.Max();

    /// <summary>Takes one summary of the job.</summary>
    /// <param name="summary">The summary.</param>
    /// <param name="libraryIndex">Each tracked library's index in <see cref="LibraryNs"/>.</param>
    public void Add(StoredImportTimes summary, IReadOnlyDictionary<string, int> libraryIndex)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(libraryIndex);
        if (User.Uid < 0)
        {
            User = (summary.Uid, summary.User);
        }
        ReportedNodes = Math.Max(ReportedNodes, summary.Nodes);
        Processes += summary.Processes.Count;
        ImportNs = summary.Processes.Aggregate(ImportNs, (sum, p) => Saturating(sum, p.ImportNs));
        _nodeWallNs[summary.Host] = Saturating(_nodeWallNs.GetValueOrDefault(summary.Host), UnitedNs(summary.Processes));
        foreach (var library in summary.Libraries)
        {
            if (libraryIndex.TryGetValue(library.Name, out int i))
            {
                LibraryNs[i] = Saturating(LibraryNs[i], library.ImportNs.Sum);
            }
        }
    }

    /// <summary>The job's node count: the accounting record's, else the most its summaries gave, else the distinct
    /// nodes that reported it.</summary>
    public int Nodes(int? accounted) => accounted is > 0 ? accounted.Value : ReportedNodes > 0 ? ReportedNodes : NodesSeen;

    /// <summary>Node-hours the job spent importing with <paramref name="nodes"/> nodes.</summary>
    public double NodeHours(int nodes) => WallNs / 3.6e12 * nodes;

    /// <summary>The share of the job's node-hours that library <paramref name="index"/> takes: its part of the job's
    /// process import time, at most all (a library's time includes the libraries it imports, which count again under
    /// their own names).</summary>
    public double LibraryShare(int index) => ImportNs == 0 ? 0 : Math.Min(1.0, (double)LibraryNs[index] / ImportNs);

    /// <summary>The wall time covered by the processes' import intervals [start, start + import time], in ns.</summary>
    /// <remarks>Counted in ticks (100 ns), which hold any two starts' distance without overflow.</remarks>
    internal static long UnitedNs(IReadOnlyList<(DateTime Start, long ImportNs)> processes)
    {
        if (processes.Count == 0)
        {
            return 0;
        }
        var first = processes.Min(p => p.Start);
        var intervals = processes
            .Select(p => (Start: (p.Start - first).Ticks, End: Saturating((p.Start - first).Ticks, Math.Max(0, p.ImportNs) / 100)))
            .OrderBy(i => i.Start).ToArray();
        long united = 0, start = intervals[0].Start, end = intervals[0].End;
        foreach (var interval in intervals.Skip(1))
        {
            if (interval.Start > end)
            {
                united = Saturating(united, end - start);
                (start, end) = interval;
            }
            else
            {
                end = Math.Max(end, interval.End);
            }
        }
        united = Saturating(united, end - start);
        return united > long.MaxValue / 100 ? long.MaxValue : united * 100;
    }

    // Times come from the nodes: a lying one must not wrap a sum negative.
    private static long Saturating(long a, long b) => b > long.MaxValue - a ? long.MaxValue : a + b;
}
