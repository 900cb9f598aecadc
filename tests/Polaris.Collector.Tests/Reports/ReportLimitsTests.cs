using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests.Reports;

/// <summary>What a read token may ask of <c>/api/v1/reports</c> on the real collector: a bounded span, dates within
/// reason, and rows of at least <c>reportMinimumUsers</c> users; the admin token more. Refusals are 400s that say
/// why, never an exception's text.</summary>
public sealed class ReportLimitsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly CollectorProcess _collector;

    public ReportLimitsTests()
    {
        File.WriteAllText(_dir.Combine("readers"), "read-token-1\n");
        File.WriteAllText(_dir.Combine("admins"), "admin-token-1\n");
        _collector = CollectorProcess.Start(_dir.Combine("data"), "--read-token-file", _dir.Combine("readers"), "--admin-token-file", _dir.Combine("admins"));
    }

    private async Task<(HttpStatusCode Status, string Body)> Get(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _collector.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("libraries?until=9999-12-31", "is not between 2000-01-01 and ")]
    [InlineData("libraries?since=0001-01-01&until=2026-01-01", "since 0001-01-01 is before 2000-01-01")]
    [InlineData("libraries?until=1999-12-31", "is not between 2000-01-01 and ")]
    [InlineData("submodules", "submodules needs one package")]
    [InlineData("provisioning/environment.yml?since=nope", "since 'nope' is not a date")]
    public async Task A_wrong_query_is_a_400_with_the_reason_and_nothing_of_the_collectors_insides(string path, string reason)
    {
        var (status, body) = await Get("api/v1/reports/" + path, "admin-token-1");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_token_spans_at_most_400_days_and_the_admin_token_more()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var span = $"since={today.AddDays(-400):yyyy-MM-dd}&until={today:yyyy-MM-dd}";
        var year = $"since={today.AddDays(-399):yyyy-MM-dd}&until={today:yyyy-MM-dd}";

        var (readLong, reason) = await Get("api/v1/reports/libraries?" + span, "read-token-1");
        var (readYear, _) = await Get("api/v1/reports/libraries?" + year, "read-token-1");
        var (dashboardLong, _) = await Get("dashboard/chart/libraries?" + span, "read-token-1");
        var (adminLong, _) = await Get("api/v1/reports/libraries?" + span, "admin-token-1");

        Assert.Equal(HttpStatusCode.BadRequest, readLong);
        Assert.Contains("spans more than 400 days (a read token's limit; an admin token may ask for 3660)", reason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, readYear);
        Assert.Equal(HttpStatusCode.BadRequest, dashboardLong);
        Assert.Equal(HttpStatusCode.OK, adminLong);
    }

    [Fact]
    public async Task A_read_token_sees_no_row_of_fewer_than_three_users_and_is_told_so_the_admin_sees_all()
    {
        var day = DateTime.UtcNow.Date.AddHours(12);
        // numpy: three users; rare: one, in a one-user domain's job; shared: two.
        Post("k1", SummaryFixtures.Job("n1", "1", 5001, 1, day, ["numpy", "rare", "shared"], EnvironmentKind.CondaEnv, "proj"));
        Post("k2", SummaryFixtures.Job("n2", "2", 5002, 1, day, ["numpy", "shared"], EnvironmentKind.CondaEnv, "proj"));
        Post("k3", SummaryFixtures.Job("n3", "3", 5003, 1, day, ["numpy"], EnvironmentKind.CondaEnv, "proj"));
        _collector.Process.WaitUntil(() => Libraries("admin-token-1").GetValueOrDefault("numpy") == 3, "the summaries folded");

        var admin = Libraries("admin-token-1");
        var read = Libraries("read-token-1");
        var (_, notes) = await Get("api/v1/reports/libraries", "read-token-1");
        var (_, trends) = await Get("api/v1/reports/trends?library=rare&library=numpy", "read-token-1");

        Assert.Equal(1, admin["rare"]);
        Assert.Equal(2, admin["shared"]);
        Assert.Equal(3, admin["numpy"]);
        Assert.Equal(["(all Python)", "numpy"], read.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("2 rows of fewer than 3 distinct users are not shown", notes, StringComparison.Ordinal);
        Assert.DoesNotContain("\"rare\"", trends, StringComparison.Ordinal);
        Assert.Contains("\"numpy\"", trends, StringComparison.Ordinal);
    }

    private Dictionary<string, long> Libraries(string token)
    {
        var (status, body) = Get("api/v1/reports/libraries", token).GetAwaiter().GetResult();
        Assert.Equal(HttpStatusCode.OK, status);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("rows").EnumerateArray()
            .ToDictionary(r => r.GetProperty("library").GetString()!, r => r.GetProperty("users").GetInt64());
    }

    private void Post(string key, ProcessSummary summary)
    {
        using var response = _collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(BatchCodec.Encode(SummaryFixtures.BatchOf(key, summary.Host, summary))))
            .GetAwaiter().GetResult();
        Assert.True(response.IsSuccessStatusCode, $"POST /v1/batches: {response.StatusCode}");
    }

    public void Dispose()
    {
        _collector.Dispose();
        _dir.Dispose();
    }
}
