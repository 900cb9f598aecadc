using Polaris.Collector.Access;
using Polaris.Collector.Aggregation;
using Polaris.Wire;

namespace Polaris.Collector.Reports;

/// <summary>What importing each library costs: the import time of its top-level package in each process that timed it
/// (median and 95th percentile from the roll-ups' power-of-two buckets), the process-hours spent in all, and the
/// node-hours the jobs held their nodes for it (<see cref="JobImportCost"/>).</summary>
public sealed class ImportCostReport : IReport
{
    /// <summary>Libraries listed, the costliest in all first.</summary>
    public const int Libraries = 50;

    /// <summary>What node-hours mean, for the notes of both import-cost reports.</summary>
    internal const string NodeHoursNote = "node-hours: per job, the slowest node's wall time with a process of the job importing (the import intervals of a launch's processes united, a node's launches added), times the job's nodes (PBS accounting, else the job's environment, else the nodes that reported it); a library's share is its part of the job's process import time; jobs only";

    public string Name => "import-cost";

    public string Description => "import time per library: median, 95th percentile, process-hours and node-hours spent importing it (the agent's records: the tools imported keep no times)";

    public ReadLevel Level => ReadLevel.Aggregates;

    public ReportTable Run(ReportData data, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        // The costliest by their import times alone, then their users (a read token's floor counts them): a year's
        // users of every library are most of what the roll-ups hold.
        var costliest = data.Libraries(query with { Domain = null }, query.Libraries.Count > 0 ? query.Libraries : null, LibraryParts.Times)
            .Values.Where(l => l.Library.Length > 0 && l.ImportNs.Count > 0)
            .OrderByDescending(l => l.ImportNs.Sum).ThenBy(l => l.Library, StringComparer.Ordinal)
            .Take(Libraries)
            .ToArray();
        var withUsers = data.Libraries(query with { Domain = null }, [.. costliest.Select(l => l.Library)], LibraryParts.Users);
        var libraries = costliest.Select(l => withUsers.GetValueOrDefault(l.Library) ?? l).ToArray();
        var nodeHours = new double[libraries.Length];
        var costs = query.Sources.Contains(RecordSource.Agent) ? JobImportCosts.Of(data, query, [.. libraries.Select(l => l.Library)]) : null;
        var index = libraries.Select((l, i) => (l.Library, i)).ToDictionary(l => l.Library, l => l.i, StringComparer.Ordinal);
        foreach (var (job, nodes) in costs?.Jobs ?? [])
        {
            double hours = job.NodeHours(nodes);
            foreach (var (library, ns) in job.LibraryNs)
            {
                if (index.TryGetValue(library, out int i))
                {
                    nodeHours[i] += hours * job.LibraryShare(ns);
                }
            }
        }
        var table = new ReportTable(ReportTitles.Of("Import cost", query with { Domain = null }),
            ["library", "processes-timed", "median-ms", "p95-ms", "process-hours", "node-hours"]);
        for (int i = 0; i < libraries.Length; i++)
        {
            var times = libraries[i].ImportNs;
            table.AddGroup(libraries[i].Users.Count, libraries[i].Library, times.Count, Quantile(times, 0.5) / 1e6, Quantile(times, 0.95) / 1e6, times.Sum / 3.6e12, nodeHours[i]);
        }
        table.Notes.Add("times of the library's top-level package import, from power-of-two buckets: a quantile is its bucket's midpoint, within a factor of 1.5; process-hours: the sum over processes");
        table.Notes.Add(NodeHoursNote);
        if (costs?.PartsLeftOut > 0)
        {
            table.Notes.Add($"{costs.PartsLeftOut} day or month parts of jobs past the first {JobImportCosts.MaxJobs} are not in node-hours");
        }
        return table;
    }

    /// <summary>The midpoint of the bucket that holds the <paramref name="q"/> quantile, in ns.</summary>
    internal static double Quantile(ImportHistogram histogram, double q)
    {
        long rank = (long)Math.Ceiling(q * histogram.Count);
        long seen = 0;
        var buckets = histogram.Buckets;
        for (int b = 0; b < buckets.Length; b++)
        {
            seen += buckets[b];
            if (seen >= rank && buckets[b] > 0)
            {
                return b == 0 ? 0.5 : 1.5 * Math.Pow(2, b);
            }
        }
        return 0;
    }
}
