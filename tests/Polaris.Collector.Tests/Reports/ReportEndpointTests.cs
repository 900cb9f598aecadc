using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polaris.Testing;

namespace Polaris.Collector.Tests.Reports;

/// <summary><c>/api/v1/reports</c> on the real collector: counts take a read token, what names jobs an admin token, a
/// wrong query is a 400 with the reason, and the answer is the report's JSON.</summary>
public class ReportEndpointTests
{
    [Fact]
    public async Task Reports_answer_at_their_level_and_a_wrong_query_is_told_why()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("readers"), "read-token-1\n");
        File.WriteAllText(dir.Combine("admins"), "admin-token-1\n");
        using var collector = CollectorProcess.Start(dir.Combine("data"), "--read-token-file", dir.Combine("readers"), "--admin-token-file", dir.Combine("admins"));

        async Task<(HttpStatusCode, string)> Get(string path, string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token != null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            using var response = await collector.Http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var (listed, list) = await Get("api/v1/reports", "read-token-1");
        var (libraries, body) = await Get("api/v1/reports/libraries?since=2026-11-01&until=2026-11-30", "read-token-1");
        var (anonymous, _) = await Get("api/v1/reports/libraries", null);
        var (jobsByReader, _) = await Get("api/v1/reports/home-jobs", "read-token-1");
        var (jobsByAdmin, _) = await Get("api/v1/reports/home-jobs", "admin-token-1");
        var (wrong, reason) = await Get("api/v1/reports/libraries?sinc=2026-11-01", "read-token-1");

        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Contains("\"home-jobs\"", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, libraries);
        Assert.Equal(["library", "users", "jobs", "processes", "user-share"], JsonDocument.Parse(body).RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, jobsByReader);
        Assert.Equal(HttpStatusCode.OK, jobsByAdmin);
        Assert.Equal(HttpStatusCode.BadRequest, wrong);
        Assert.Contains("unknown parameter 'sinc'", reason, StringComparison.Ordinal);
    }
}
