using Polaris.Collector.Storage;

namespace Polaris.Collector.Reports;

/// <summary>One job's part of a period, from one source: its processes by domain (coverage job by job) and, for the
/// agent, what it spent importing: each node's wall time with a process importing, and per library its import time
/// (import cost in node-hours, <see cref="JobImportCost"/>). Every part adds up across days but the node count the
/// processes saw, which is the most any gave, and the user, which is the first's.</summary>
/// <param name="key">The job key.</param>
public sealed class JobUse(string key)
{
    /// <summary>Nodes and libraries kept per job, each: hosts and library names can be made up.</summary>
    public const int MaxNames = 100_000;

    public string Key { get; } = key;

    /// <summary>The processes of its summaries, by the summaries' science domain.</summary>
    public Dictionary<string, long> DomainProcesses { get; } = new(StringComparer.Ordinal);

    /// <summary>The user of its first timed summary: number (-1: none yet) and name.</summary>
    public (long Uid, string Name) User { get; set; } = (-1, "");

    /// <summary>The most nodes its processes saw the job hold; 0 when none said.</summary>
    public int ReportedNodes { get; set; }

    /// <summary>Processes timed.</summary>
    public long TimedProcesses { get; set; }

    /// <summary>Their import times summed, in ns.</summary>
    public long ImportNs { get; set; }

    /// <summary>Per node, its wall time with a process of the job importing, in ns.</summary>
    public Dictionary<string, long> NodeWallNs { get; } = new(StringComparer.Ordinal);

    /// <summary>Per library, its top-level import times summed over the job's processes, in ns.</summary>
    public Dictionary<string, long> LibraryNs { get; } = new(StringComparer.Ordinal);

    /// <summary>Takes the processes of one summary of the job.</summary>
    public void AddProcesses(string domain, long processes) => DomainProcesses[domain] = DomainProcesses.GetValueOrDefault(domain) + processes;

    /// <summary>Takes the import times of one summary of the job (the agent's).</summary>
    /// <remarks>A summary holds one launch's processes on one node (the ranks of an MPI run import at once), so its
    /// processes' import intervals are united: ranks that import together count once. A node's summaries (launches
    /// one after another) add up.</remarks>
    public void AddTimes(StoredImportTimes summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (User.Uid < 0)
        {
            User = (summary.Uid, summary.User);
        }
        ReportedNodes = Math.Max(ReportedNodes, summary.Nodes);
        TimedProcesses += summary.Processes.Count;
        ImportNs = summary.Processes.Aggregate(ImportNs, (sum, p) => Saturating(sum, p.ImportNs));
        Add(NodeWallNs, summary.Host, UnitedNs(summary.Processes));
        foreach (var library in summary.Libraries)
        {
            Add(LibraryNs, library.Name, library.ImportNs.Sum);
        }
    }

    /// <summary>Adds <paramref name="ns"/> to what <paramref name="values"/> holds for <paramref name="name"/>; a new
    /// name past <see cref="MaxNames"/> is left out.</summary>
    internal static void Add(Dictionary<string, long> values, string name, long ns)
    {
        if (values.TryGetValue(name, out long held))
        {
            values[name] = Saturating(held, ns);
        }
        else if (values.Count < MaxNames)
        {
            values[name] = ns;
        }
    }

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
    internal static long Saturating(long a, long b) => b > long.MaxValue - a ? long.MaxValue : a + b;
}
