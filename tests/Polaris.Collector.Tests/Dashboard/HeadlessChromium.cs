using Polaris.Testing;

namespace Polaris.Collector.Tests.Dashboard;

/// <summary>Debian's Chromium, headless, as a child process: the page's DOM after its scripts ran, or a screenshot.</summary>
/// <remarks>No Playwright: it would download its own browser, and the tests have no network. <c>--no-sandbox</c>
/// because the tests run as root in CI's container; nothing but the test's own collector is loaded.</remarks>
internal static class HeadlessChromium
{
    public const string Path = "/usr/bin/chromium";

    /// <summary>Fails the test with what to do when the browser is missing.</summary>
    public static void Require()
    {
        if (!File.Exists(Path))
        {
            Assert.Fail($"{Path} is missing: the dashboard's tests drive Debian's chromium; scripts/setup-debian.sh installs it (apt-get install chromium)");
        }
    }

    /// <summary>The DOM of <paramref name="url"/> once <paramref name="virtualMilliseconds"/> of virtual time ran:
    /// timers fire within it in less real time, and it stands still while a fetch is pending.</summary>
    public static string DumpDom(Uri url, int virtualMilliseconds) =>
        Run([$"--virtual-time-budget={virtualMilliseconds}", "--dump-dom", url.ToString()]).StdoutText;

    /// <summary>A PNG of <paramref name="url"/> in a 1400 by 2000 window, written to <paramref name="file"/>.</summary>
    public static void Screenshot(Uri url, string file)
    {
        var result = Run(["--hide-scrollbars", "--window-size=1400,2000", "--virtual-time-budget=5000", $"--screenshot={file}", url.ToString()]);
        Assert.True(File.Exists(file), $"chromium wrote no {file} (exit {result.ExitCode}): {result.StderrText}");
    }

    private static CommandResult Run(string[] arguments)
    {
        Require();
        using var profile = new TempDirectory("polaris-chromium");
        // timeout(1): a browser that hangs fails the test instead of holding the run.
        var result = CommandResult.Run("timeout", ["120", Path, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.Path}", .. arguments]);
        Assert.True(result.ExitCode == 0, $"chromium {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StderrText}");
        return result;
    }
}
