using System.Diagnostics;
using Polaris.Testing;

namespace Polaris.Collector.Bench.Year;

/// <summary>How long the dashboard takes: the page over HTTP (its charts are drawn on the server, so the page is the
/// first paint's content), and Debian's headless Chromium loading it against loading a blank page, in turns.</summary>
internal static class DashboardTimes
{
    private const string Chromium = "/usr/bin/chromium";

    public static void Measure(CollectorProcess collector, int rounds)
    {
        var page = new List<double>();
        var browser = new List<double>();
        var blank = new List<double>();
        for (int round = -1; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            string html = collector.Http.GetStringAsync("").GetAwaiter().GetResult();
            if (round >= 0)
            {
                page.Add(clock.Elapsed.TotalMilliseconds);
            }
            if (!File.Exists(Chromium))
            {
                continue;
            }
            double loaded = Load(collector.Url.ToString());
            double empty = Load("about:blank");
            if (round >= 0)
            {
                browser.Add(loaded);
                blank.Add(empty);
            }
            if (round == rounds - 1)
            {
                Console.WriteLine($"dashboard: {html.Length / 1024} KiB of HTML with its charts");
            }
        }
        Console.WriteLine($"dashboard: the page in {ReportTimes.Median(page):F0} ms (median of {rounds}, worst {page.Max():F0})");
        if (browser.Count > 0)
        {
            double loaded = ReportTimes.Median(browser), empty = ReportTimes.Median(blank);
            Console.WriteLine($"dashboard: headless Chromium loaded and drew it in {loaded:F0} ms, a blank page in {empty:F0} ms: the dashboard's own {loaded - empty:F0} ms (medians of {rounds})");
        }
    }

    // The DOM once the page loaded: what a browser paints first, since no chart waits for a script.
    private static double Load(string url)
    {
        using var profile = new TempDirectory("polaris-chromium");
        var clock = Stopwatch.StartNew();
        var result = CommandResult.Run("timeout", ["120", Chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.Path}", "--dump-dom", url]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"chromium exited {result.ExitCode}: {result.StderrText}");
        }
        return clock.Elapsed.TotalMilliseconds;
    }
}
