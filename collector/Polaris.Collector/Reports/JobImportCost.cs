namespace Polaris.Collector.Reports;

/// <summary>What one job spent importing, by the definition docs/analysis.md gives ("Import cost in node-hours"): each
/// node's wall time with a process of the job importing, the slowest node's, and that times the job's node count.</summary>
/// <remarks>Read from the job's uses united over the report's days (<see cref="JobUse"/>), with the import times of
/// the libraries the report tracks only.</remarks>
public sealed class JobImportCost
{
    private readonly JobUse _job;

    /// <param name="job">The job's uses over the report's days.</param>
    public JobImportCost(JobUse job)
    {
        ArgumentNullException.ThrowIfNull(job);
        _job = job;
    }

    public string Key => _job.Key;

    /// <summary>The user of the job's first summary: number and name.</summary>
    public (long Uid, string Name) User => _job.User;

    /// <summary>Processes timed.</summary>
    public long Processes => _job.TimedProcesses;

    /// <summary>Their import times summed, in ns: the job's process-seconds of importing.</summary>
    public long ImportNs => _job.ImportNs;

    /// <summary>The tracked libraries' top-level import times summed over the job's processes, in ns (those the
    /// report asked for and the job imported).</summary>
    public IReadOnlyDictionary<string, long> LibraryNs => _job.LibraryNs;

    /// <summary>The node count the most summaries gave (the job's environment as its processes saw it); 0 when none.</summary>
    public int ReportedNodes => _job.ReportedNodes;

    /// <summary>Distinct nodes that reported the job.</summary>
    public int NodesSeen => _job.NodeWallNs.Count;

    /// <summary>The slowest node's wall time with a process of the job importing, in ns.</summary>
    public long WallNs => _job.NodeWallNs.Count == 0 ? 0 : _job.NodeWallNs.Values.Max();

    /// <summary>The job's node count: the accounting record's, else the most its summaries gave, else the distinct
    /// nodes that reported it.</summary>
    public int Nodes(int? accounted) => accounted is > 0 ? accounted.Value : ReportedNodes > 0 ? ReportedNodes : NodesSeen;

    /// <summary>Node-hours the job spent importing with <paramref name="nodes"/> nodes.</summary>
    public double NodeHours(int nodes) => WallNs / 3.6e12 * nodes;

    /// <summary>The share of the job's node-hours that a library whose import took <paramref name="libraryNs"/> takes:
    /// its part of the job's process import time, at most all (a library's time includes the libraries it imports,
    /// which count again under their own names).</summary>
    public double LibraryShare(long libraryNs) => ImportNs == 0 ? 0 : Math.Min(1.0, (double)libraryNs / ImportNs);
}
