using Polaris.Collector.Access;
using Polaris.Collector.Aggregation;

namespace Polaris.Collector.Reports;

/// <summary>What importing each library costs: the import time of its top-level package in each process that timed it
/// (median and 95th percentile from the roll-ups' power-of-two buckets), and the process-hours spent in all.</summary>
public sealed class ImportCostReport : IReport
{
    /// <summary>Libraries listed, the costliest in all first.</summary>
    public const int Libraries = 50;

    public string Name => "import-cost";

    public string Description => "import time per library: median, 95th percentile and process-hours spent importing it (the agent's records: the tools imported keep no times)";

    public ReadLevel Level => ReadLevel.Aggregates;

    public ReportTable Run(ReportData data, ReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(query);
        var libraries = data.Libraries(query with { Domain = null }, query.Libraries.Count > 0 ? query.Libraries : null)
            .Values.Where(l => l.Library.Length > 0 && l.ImportNs.Count > 0)
            .OrderByDescending(l => l.ImportNs.Sum).ThenBy(l => l.Library, StringComparer.Ordinal)
            .Take(Libraries);
        var table = new ReportTable(ReportTitles.Of("Import cost", query with { Domain = null }),
            ["library", "processes-timed", "median-ms", "p95-ms", "process-hours"]);
        foreach (var library in libraries)
        {
            var times = library.ImportNs;
            table.Add(library.Library, times.Count, Quantile(times, 0.5) / 1e6, Quantile(times, 0.95) / 1e6, times.Sum / 3.6e12);
        }
        table.Notes.Add("times of the library's top-level package import, from power-of-two buckets: a quantile is its bucket's midpoint, within a factor of 1.5; process-hours: the sum over processes");
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
