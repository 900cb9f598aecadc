using System.Diagnostics;
using Polaris.Collector.Reports;
using Polaris.Testing;

namespace Polaris.Collector.Bench.Year;

/// <summary>How long each report takes a real collector over HTTP, for the last 30 days and for the whole year: the
/// first answer (nothing cached by the process) apart, then rounds over all reports in turn (so that noise on the
/// shared cores falls on every report alike), their median and worst.</summary>
internal static class ReportTimes
{
    // Reports about chosen libraries are asked what a scientist would ask.
    private static readonly Dictionary<string, string> Chosen = new(StringComparer.Ordinal)
    {
        ["submodules"] = "&library=scipy",
        ["environments"] = "&library=torch&library=tensorflow",
        ["trends"] = "&library=numpy&library=torch",
    };

    private const double SlowMilliseconds = 5_000;
    private const int GiveUpSeconds = 120;

    /// <param name="collector">The collector serving the store.</param>
    /// <param name="first">The year's first day.</param>
    /// <param name="last">The year's last day.</param>
    /// <param name="rounds">Answers timed after the first.</param>
    /// <param name="only">The reports to ask, or null for all.</param>
    public static async Task MeasureAsync(CollectorProcess collector, DateOnly first, DateOnly last, int rounds, IReadOnlyCollection<string>? only)
    {
        var queries = ReportCatalog.All.Where(r => only == null || only.Contains(r.Name)).SelectMany(r => new[]
        {
            ($"{r.Name} (30 days)", $"api/v1/reports/{r.Name}?since={last.AddDays(-29):yyyy-MM-dd}&until={last:yyyy-MM-dd}{Chosen.GetValueOrDefault(r.Name, "")}"),
            ($"{r.Name} (year)", $"api/v1/reports/{r.Name}?since={first:yyyy-MM-dd}&until={last:yyyy-MM-dd}{Chosen.GetValueOrDefault(r.Name, "")}"),
        }).ToArray();
        // Reports from stored summaries can take minutes at this size: a first answer is waited for that long, and
        // an abandoned request stops the collector's work on it.
        using var http = new HttpClient { BaseAddress = collector.Url, Timeout = TimeSpan.FromSeconds(GiveUpSeconds) };
        var firsts = new double[queries.Length];
        var times = queries.Select(_ => new List<double>()).ToArray();
        for (int round = -1; round < rounds; round++)
        {
            for (int i = 0; i < queries.Length; i++)
            {
                // A report whose first answer took over 5 s is not asked again: its first answer says enough.
                if (round >= 0 && firsts[i] > SlowMilliseconds)
                {
                    continue;
                }
                var clock = Stopwatch.StartNew();
                HttpResponseMessage response;
                try
                {
                    response = await http.GetAsync(queries[i].Item2);
                }
                catch (TaskCanceledException)
                {
                    firsts[i] = double.PositiveInfinity;
                    Console.WriteLine($"first answer: {queries[i].Item1} none in {GiveUpSeconds} s");
                    continue;
                }
                using var answered = response;
                var body = await response.Content.ReadAsByteArrayAsync();
                double ms = clock.Elapsed.TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{queries[i].Item2}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
                }
                if (round < 0)
                {
                    firsts[i] = ms;
                    Console.WriteLine($"first answer: {queries[i].Item1} in {ms:F0} ms");
                }
                else
                {
                    times[i].Add(ms);
                }
            }
        }
        Console.WriteLine($"{"report",-28} {"first ms",9} {"median ms",10} {"worst ms",9}");
        for (int i = 0; i < queries.Length; i++)
        {
            Console.WriteLine(double.IsInfinity(firsts[i]) ? $"{queries[i].Item1,-28} {$">{GiveUpSeconds * 1000}",9} {"-",10} {"-",9}"
                : times[i].Count == 0
                ? $"{queries[i].Item1,-28} {firsts[i],9:F0} {"-",10} {"-",9}"
                : $"{queries[i].Item1,-28} {firsts[i],9:F0} {Median(times[i]),10:F0} {times[i].Max(),9:F0}");
        }
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
