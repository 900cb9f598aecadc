using System.Buffers.Binary;
using System.Text.Json;
using System.Text.RegularExpressions;
using Polaris.Collector.Dashboard;
using Polaris.Testing;

namespace Polaris.Collector.Tests.Dashboard;

/// <summary>The dashboard in a real browser (headless Chromium): after its script has refreshed the charts, every bar,
/// segment and point carries the figure the report API answers for the same query; the page names no other host,
/// hostile names stay text, and a screenshot is written to <c>artifacts/dashboard.png</c>.</summary>
[Collection(DashboardCollection.Name)]
public partial class DashboardBrowserTests(DashboardSite site)
{
    /// <summary>Where the screenshot is left for a person to look at (gitignored).</summary>
    public static string ScreenshotPath => Path.Combine(RepoPaths.Root, "artifacts", "dashboard.png");

    private Uri Page => new(site.Collector.Url, "?" + DashboardSite.Query);

    private static Dictionary<string, JsonElement> Rows(JsonElement report, Func<JsonElement, string> key) =>
        report.GetProperty("rows").EnumerateArray().ToDictionary(key);

    // Past the 30 s refresh: the figures checked are those the script fetched from /dashboard/chart/NAME.
    private string RefreshedDom()
    {
        var dom = HeadlessChromium.DumpDom(Page, 35_000);
        var status = DashboardDom.Elements(dom, "p").Single(p => p.GetValueOrDefault("id") == "status");
        Assert.True(int.Parse(status["data-refreshes"], System.Globalization.CultureInfo.InvariantCulture) >= 1, "the script never refreshed the charts");
        Assert.Contains("Figures as of", dom, StringComparison.Ordinal);
        return dom;
    }

    [Fact]
    public void Every_charts_figures_in_the_browser_are_the_report_apis_for_the_same_query()
    {
        var dom = RefreshedDom();

        // Libraries: a bar per library but all Python, the first 20, each its users.
        var libraries = site.Report("libraries").GetProperty("rows").EnumerateArray().Skip(1).Take(20).ToArray();
        var bars = DashboardDom.Elements(DashboardDom.Section(dom, "libraries"), "rect").Where(r => r.ContainsKey("data-value")).ToArray();
        Assert.Equal(libraries.Select(r => (r.GetProperty("library").GetString(), r.GetProperty("users").GetInt64().ToString())),
            bars.Select(b => ((string?)b["data-label"], b["data-value"])));
        Assert.Contains(bars, b => b["data-label"] == "numpy" && b["data-value"] == "7"); // 5 users in the imports, 2 agents'

        // Domains: each domain's bars are its rows' users.
        var domains = Rows(site.Report("domains"), r => r.GetProperty("domain").GetString() + "|" + r.GetProperty("library").GetString());
        var domainBars = DashboardDom.Elements(DashboardDom.Section(dom, "domains"), "rect").Where(r => r.ContainsKey("data-value")).ToArray();
        Assert.NotEmpty(domainBars);
        Assert.All(domainBars, b => Assert.Equal(domains[b["data-group"] + "|" + b["data-label"]].GetProperty("users").GetInt64().ToString(), b["data-value"]));
        Assert.Contains(domainBars, b => b["data-group"] == DashboardSite.AmpersandDomain && b["data-label"] == "torch" && b["data-value"] == "2");

        // Environments: a segment per kind of use, per library the report lists.
        var environments = Rows(site.Report("environments"), r => r.GetProperty("library").GetString()!);
        var segments = DashboardDom.Elements(DashboardDom.Section(dom, "environments"), "rect").Where(r => r.ContainsKey("data-value")).ToArray();
        Assert.Equal(environments.Count * 4, segments.Length);
        Assert.All(segments, s => Assert.Equal(environments[s["data-label"]].GetProperty(s["data-series"]).GetInt64().ToString(), s["data-value"]));

        // Trends: a point per row of the trends report.
        var trends = Rows(site.Report("trends"), r => r.GetProperty("day").GetString() + "|" + r.GetProperty("library").GetString());
        var points = DashboardDom.Elements(DashboardDom.Section(dom, "trends"), "circle");
        Assert.Equal(trends.Count, points.Count);
        Assert.All(points, p => Assert.Equal(trends[p["data-day"] + "|" + p["data-label"]].GetProperty("users").GetInt64().ToString(), p["data-value"]));

        // Coverage: jobs and users of each source and of what sources saw in common.
        var coverage = Rows(site.Report("coverage"), r => r.GetProperty("sources").GetString()!);
        var coverageBars = DashboardDom.Elements(DashboardDom.Section(dom, "coverage"), "rect").Where(r => r.ContainsKey("data-value")).ToArray();
        Assert.Equal(coverage.Count * 2, coverageBars.Length);
        Assert.All(coverageBars, b => Assert.Equal(coverage[b["data-label"]].GetProperty(b["data-series"]).GetInt64().ToString(), b["data-value"]));
        Assert.Contains(coverageBars, b => b["data-label"] == "agent" && b["data-series"] == "jobs" && b["data-value"] == "3");

        // Origins: a segment per origin, for the total and the first 15 libraries the report lists.
        var origins = site.Report("origins").GetProperty("rows").EnumerateArray().Take(OriginsChart.Libraries + 1)
            .ToDictionary(r => r.GetProperty("library").GetString()!);
        var originSegments = DashboardDom.Elements(DashboardDom.Section(dom, "origins"), "rect").Where(r => r.ContainsKey("data-value")).ToArray();
        Assert.Equal(origins.Count * 10, originSegments.Length);
        Assert.All(originSegments, s => Assert.Equal(origins[s["data-label"]].GetProperty(s["data-series"]).GetInt64().ToString(), s["data-value"]));
        Assert.Contains(originSegments, s => s["data-label"] == "(all libraries)" && s["data-series"] == "home" && s["data-value"] != "0");

        // Home-loading jobs name jobs: the section says where they are (admin token), with no chart.
        var placeholder = dom[dom.IndexOf("<section id=\"home-jobs\"", StringComparison.Ordinal)..];
        Assert.Contains("data-awaits=\"home-jobs\"", placeholder, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", placeholder[..placeholder.IndexOf("</section>", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_library_names_are_text_in_the_browser_and_no_element()
    {
        var dom = RefreshedDom();

        var bars = DashboardDom.Elements(DashboardDom.Section(dom, "libraries"), "rect");
        Assert.Contains(bars, b => b.GetValueOrDefault("data-label") == DashboardSite.ScriptLibrary && b["data-value"] == "3");
        Assert.Contains(bars, b => b.GetValueOrDefault("data-label") == DashboardSite.AttributeLibrary && b["data-value"] == "2");
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", dom, StringComparison.Ordinal);
        var markup = DashboardDom.Markup(dom);
        Assert.Equal(1, Regex.Count(markup, "<script", RegexOptions.IgnoreCase)); // the dashboard's own
        Assert.Equal(0, Regex.Count(markup, "<img", RegexOptions.IgnoreCase));
        Assert.DoesNotContain("onerror", markup.Replace("onerror=alert(2)&gt;", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_its_script_and_its_stylesheet_name_no_other_host()
    {
        var own = site.Collector.Url.Authority;
        var texts = new[]
        {
            HeadlessChromium.DumpDom(Page, 5_000),
            await site.Collector.Http.GetStringAsync("?" + DashboardSite.Query),
            await site.Collector.Http.GetStringAsync("dashboard/dashboard.js"),
            await site.Collector.Http.GetStringAsync("dashboard/dashboard.css"),
        };

        foreach (var text in texts)
        {
            var hosts = Url().Matches(text).Select(m => m.Groups["host"].Value).Where(h => h != own).ToArray();
            Assert.True(hosts.Length == 0, "other hosts named: " + string.Join(", ", hosts));
            Assert.DoesNotContain("//cdn", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void A_screenshot_of_the_page_is_a_png_of_the_windows_size()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        File.Delete(ScreenshotPath);

        HeadlessChromium.Screenshot(Page, ScreenshotPath);

        var png = File.ReadAllBytes(ScreenshotPath);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal((1400, 2000), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
        // Charts drawn, not a blank page: a blank 1400x2000 PNG compresses to a few kilobytes.
        Assert.InRange(png.Length, 40_000, 10_000_000);
    }

    // An absolute URL, or one relative to the scheme (src="//host/...").
    [GeneratedRegex(@"(?i)(?:https?:|(?<=[""'(=]))//(?<host>[a-z0-9.\-]+(?::\d+)?)")]
    private static partial Regex Url();
}
