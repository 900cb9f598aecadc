using System.Net;
using Polaris.Collector.Dashboard;

namespace Polaris.Collector.Tests.Dashboard;

/// <summary>The dashboard over HTTP: its policy forbids other sources on every answer, a wrong query is the reports'
/// 400, names from the data and values from the query are escaped, and the form offers the domains seen.</summary>
[Collection(DashboardCollection.Name)]
public class DashboardEndpointTests(DashboardSite site)
{
    private HttpClient Http => site.Collector.Http;

    [Theory]
    [InlineData("")]
    [InlineData("dashboard/chart/libraries")]
    [InlineData("dashboard/chart/trends")]
    [InlineData("dashboard/dashboard.js")]
    [InlineData("dashboard/dashboard.css")]
    public async Task Every_answer_forbids_sources_other_than_the_collector(string path)
    {
        using var response = await Http.GetAsync(path + "?" + DashboardSite.Query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(DashboardEndpoint.ContentSecurityPolicy, policy);
        Assert.StartsWith("default-src 'none'; script-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory]
    [InlineData("dashboard/chart/libraries?since=2026-13-01", "is not a date")]
    [InlineData("dashboard/chart/domains?sinc=2026-11-01", "unknown parameter 'sinc'")]
    [InlineData("dashboard/chart/coverage?source=slurm", "none of agent, xalt, pymodulesnooper")]
    [InlineData("dashboard/chart/trends?since=2026-12-01&until=2026-11-01", "is after until")]
    [InlineData("?until=2026-11-31", "is not a date")]
    public async Task A_wrong_query_is_400_with_the_reason(string path, string reason)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task An_unknown_chart_is_404()
    {
        using var response = await Http.GetAsync("dashboard/chart/summaries");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Blank_form_fields_are_filters_not_chosen()
    {
        // What the form sends with "all domains" and no dates.
        using var response = await Http.GetAsync("dashboard/chart/libraries?since=&until=&domain=&source=agent");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("sources agent", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_from_the_data_are_escaped_in_the_page_and_in_a_fragment()
    {
        var page = await Http.GetStringAsync("?" + DashboardSite.Query);
        var fragment = await Http.GetStringAsync("dashboard/chart/environments?" + DashboardSite.Query);

        foreach (var html in new[] { page, fragment })
        {
            Assert.DoesNotContain(DashboardSite.ScriptLibrary, html, StringComparison.Ordinal);
            Assert.DoesNotContain(DashboardSite.AttributeLibrary, html, StringComparison.Ordinal);
            Assert.Contains("data-label=\"&lt;script&gt;alert(1)&lt;/script&gt;\"", html, StringComparison.Ordinal);
            Assert.Contains("data-label=\"&quot;&gt;&lt;img src=x onerror=alert(2)&gt;\"", html, StringComparison.Ordinal);
        }
        Assert.Contains("<option value=\"Earth &amp; Space\">Earth &amp; Space</option>", page, StringComparison.Ordinal);
        Assert.Contains("data-group=\"Earth &amp; Space\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_domain_asked_for_in_the_query_is_escaped_where_the_page_repeats_it()
    {
        const string domain = "Earth \"Space\" <b>bold</b> & 'sky'";

        var page = await Http.GetStringAsync($"?{DashboardSite.Query}&domain={Uri.EscapeDataString(domain)}");

        Assert.DoesNotContain(domain, page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", page, StringComparison.Ordinal);
        const string escaped = "Earth &quot;Space&quot; &lt;b&gt;bold&lt;/b&gt; &amp; &#39;sky&#39;";
        Assert.Contains($"<option value=\"{escaped}\" selected>{escaped}</option>", page, StringComparison.Ordinal);
        Assert.Contains($"domain {escaped}", page, StringComparison.Ordinal); // the reports' titles
    }

    [Fact]
    public async Task The_form_offers_the_domains_seen_and_keeps_the_query()
    {
        var page = await Http.GetStringAsync($"?{DashboardSite.Query}&source=agent&source=xalt&domain=Biology");

        foreach (var domain in new[] { "Biology", "Computer Science", "Earth &amp; Space" })
        {
            Assert.Contains($"<option value=\"{domain}\"", page, StringComparison.Ordinal);
        }
        Assert.Contains("<option value=\"Biology\" selected>", page, StringComparison.Ordinal);
        Assert.Contains($"name=\"since\" value=\"{DashboardSite.Since}\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"agent\" checked", page, StringComparison.Ordinal);
        Assert.Contains("value=\"pymodulesnooper\">", page, StringComparison.Ordinal);
        Assert.Contains("api/v1/reports/libraries?since=2026-11-01&amp;until=2026-11-30&amp;domain=Biology&amp;source=agent&amp;source=xalt", page, StringComparison.Ordinal);
    }
}
