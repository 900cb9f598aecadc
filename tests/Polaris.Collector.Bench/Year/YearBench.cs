using System.Diagnostics;
using Polaris.Collector.Ingest;
using Polaris.Collector.Metrics;
using Polaris.Collector.Reports;
using Polaris.Collector.Storage;
using Polaris.Testing;

namespace Polaris.Collector.Bench.Year;

/// <summary>A generated year of a Polaris-sized facility through the real store, then every report and the dashboard
/// asked of a real collector serving that store (docs/bench.md, "A year of a facility").</summary>
internal static class YearBench
{
    private const int MachineNodes = 560;
    private const int Projects = 300;
    private const int Rounds = 5;

    /// <param name="folder">The store's folder: generated when it holds no store, else measured as it is, so that the
    /// measurements can be repeated without generating again.</param>
    /// <param name="jobs">Jobs in the year.</param>
    /// <param name="users">Python users.</param>
    /// <param name="libraries">Distinct libraries.</param>
    /// <param name="reports">The reports to measure (names), or null for all.</param>
    public static async Task<int> RunAsync(string folder, int jobs, int users, int libraries, IReadOnlyCollection<string>? reports)
    {
        var population = new FacilityPopulation(users, Projects, libraries, seed: 7);
        var last = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var first = last.AddDays(-364);
        string domains = Path.Combine(folder, "domains.csv");
        if (!File.Exists(Path.Combine(folder, CollectorStore.FileName)))
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(domains, population.DomainCsv());
            Generate(folder, population, first, last, jobs);
        }
        else
        {
            CatchUp(folder);
        }
        Console.WriteLine($"year: store {Bytes(folder, CollectorStore.FileName) / 1024 / 1024} MiB, log {Bytes(folder, "polaris-log.db") / 1024 / 1024} MiB");
        var started = Stopwatch.StartNew();
        using var collector = CollectorProcess.StartOn(new Uri("http://127.0.0.1:0"), folder,
            new Dictionary<string, string> { ["POLARIS_COLLECTOR_DOMAIN_FILE"] = domains });
        Console.WriteLine($"year: a collector started on it and listened in {started.Elapsed.TotalSeconds:F1} s");
        await ReportTimes.MeasureAsync(collector, first, last, Rounds, reports);
        DashboardTimes.Measure(collector, Rounds);
        return 0;
    }

    private static void Generate(string folder, FacilityPopulation population, DateOnly first, DateOnly last, int jobs)
    {
        var options = new CollectorOptions();
        var metrics = new CollectorMetrics(options, new IngestBudget(options.MaxBytesInFlight));
        var workload = new FacilityJobs(population, MachineNodes, seed: 11);
        var clock = Stopwatch.StartNew();
        long summaries = 0;
        using (var store = new CollectorStore(folder, metrics, p => population.DomainOfProject.GetValueOrDefault(p, "unknown"), options.RetentionDays))
        {
            var pending = new List<PreparedBatch>();
            int days = last.DayNumber - first.DayNumber + 1;
            for (var day = first; day <= last; day = day.AddDays(1))
            {
                // Fewer jobs at weekends, as on a real machine.
                int weekday = (int)day.DayOfWeek;
                int today = (int)Math.Round(jobs / (double)days * (weekday is 0 or 6 ? 0.6 : 1.16));
                foreach (var (batch, received) in workload.Day(day, today))
                {
                    pending.Add(store.Prepare(batch, received));
                    summaries += batch.Summaries.Count;
                    if (pending.Count == 64)
                    {
                        store.Commit(pending);
                        pending.Clear();
                    }
                }
                store.Commit(pending);
                pending.Clear();
                store.Fold();
                var evening = day.ToDateTime(new TimeOnly(23, 59), DateTimeKind.Utc);
                if (day.DayOfWeek == DayOfWeek.Sunday)
                {
                    store.Prune(evening, options.RetentionDays, options.RollupRetentionDays);
                }
                store.Checkpoint(evening);
                if (day == last)
                {
                    RollupPeriods.Build(store, evening.AddMinutes(1), options.RollupRetentionDays, TimeSpan.FromMinutes(10));
                }
                if (day.Day == 1)
                {
                    // As a collector's maintenance does once a month is over.
                    RollupPeriods.Build(store, evening, options.RollupRetentionDays, TimeSpan.FromMinutes(10));
                    Console.WriteLine($"year: {day:yyyy-MM-dd}: {workload.Jobs} jobs, {workload.Processes} processes, {summaries} summaries in {clock.Elapsed.TotalSeconds:F0} s");
                }
            }
        }
        Console.WriteLine($"year: generated {workload.Jobs} jobs, {workload.Processes} processes, {summaries} summaries of {population.Users.Length} users in {clock.Elapsed.TotalSeconds:F0} s ({summaries / clock.Elapsed.TotalSeconds:F0} summaries/s through the store, one thread)");
    }

    // A store from an earlier build may lack the bundles of past periods: built here as a collector's maintenance
    // would in its first minutes, and timed.
    private static void CatchUp(string folder)
    {
        var options = new CollectorOptions();
        var clock = Stopwatch.StartNew();
        using var store = new CollectorStore(folder, new CollectorMetrics(options, new IngestBudget(options.MaxBytesInFlight)), null, options.RetentionDays);
        int built = RollupPeriods.Build(store, DateTime.UtcNow, options.RollupRetentionDays, TimeSpan.FromHours(1));
        store.Checkpoint(DateTime.UtcNow);
        Console.WriteLine($"year: {built} past days and months bundled in {clock.Elapsed.TotalSeconds:F0} s");
    }

    private static long Bytes(string folder, string file) =>
        File.Exists(Path.Combine(folder, file)) ? new FileInfo(Path.Combine(folder, file)).Length : 0;
}
