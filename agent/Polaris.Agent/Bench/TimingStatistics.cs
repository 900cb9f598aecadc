namespace Polaris.Agent.Bench;

/// <summary>What the table reports of one workload under one configuration.</summary>
/// <param name="Runs">Runs measured, failed ones included.</param>
/// <param name="Failures">Runs that exited non-zero; their times are left out of the figures below.</param>
/// <param name="Median">Median wall time of the successful runs, in ms; null when none succeeded.</param>
/// <param name="Min">Shortest successful run, in ms.</param>
/// <param name="Max">Longest successful run, in ms.</param>
public sealed record TimingStatistics(int Runs, int Failures, double? Median, double? Min, double? Max)
{
    /// <summary>Whether every run failed, which makes bench exit non-zero.</summary>
    public bool AllFailed => Runs > 0 && Failures == Runs;

    public static TimingStatistics Of(IReadOnlyCollection<Timing> timings)
    {
        var times = timings.Where(t => t.Succeeded).Select(t => t.Milliseconds).ToArray();
        var failures = timings.Count - times.Length;
        return times.Length == 0
            ? new TimingStatistics(timings.Count, failures, null, null, null)
            : new TimingStatistics(timings.Count, failures, MedianOf(times), times.Min(), times.Max());
    }

    /// <summary>The middle value, or the mean of the two middle values of an even count.</summary>
    /// <remarks>The median, not the mean: a shared machine adds rare long outliers that would drag a mean.</remarks>
    public static double MedianOf(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("no values", nameof(values));
        }
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
