namespace Polaris.Agent.Bench;

/// <summary>One line of the result table.</summary>
/// <param name="Workload">The workload's name.</param>
/// <param name="Configuration">The configuration's name.</param>
/// <param name="Statistics">Its runs, failures and times.</param>
/// <param name="AddedMilliseconds">Median minus bare's median; null for bare itself or when either has no successful run.</param>
/// <param name="AddedPercent">The same, as a percentage of bare's median.</param>
public sealed record ResultRow(string Workload, string Configuration, TimingStatistics Statistics, double? AddedMilliseconds, double? AddedPercent)
{
    // The property named Configuration hides the type of that name here.
    private static readonly string BareName = Bench.Configuration.Bare.Name;

    /// <summary>Rows for every workload (in order) and configuration (in order), each compared with bare on the same workload.</summary>
    public static IReadOnlyList<ResultRow> From(IReadOnlyList<Workload> workloads, IReadOnlyList<Configuration> configurations, IReadOnlyList<Timing> timings)
    {
        var rows = new List<ResultRow>();
        foreach (var workload in workloads)
        {
            var bare = StatisticsOf(timings, workload.Name, BareName).Median;
            foreach (var configuration in configurations)
            {
                var statistics = StatisticsOf(timings, workload.Name, configuration.Name);
                double? added = configuration.Name != BareName && bare is { } b && statistics.Median is { } m ? m - b : null;
                double? percent = added is { } a && bare is { } reference && reference > 0 ? a / reference * 100 : null;
                rows.Add(new ResultRow(workload.Name, configuration.Name, statistics, added, percent));
            }
        }
        return rows;
    }

    private static TimingStatistics StatisticsOf(IReadOnlyList<Timing> timings, string workload, string configuration) =>
        TimingStatistics.Of(timings.Where(t => t.Workload == workload && t.Configuration == configuration).ToArray());
}
