using System.Net;
using System.Net.Http.Headers;
using Polaris.Testing;

namespace Polaris.Collector.Tests.Rollups;

/// <summary><c>GET /v1/rollups</c> names uids and job ids, so it takes an admin token; a range it will not read is
/// 400 with the reason; <c>merge-rollups</c> says in one line why it could not read a collector.</summary>
public sealed class RollupAccessTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private CollectorProcess StartWithTokens()
    {
        File.WriteAllText(_dir.Combine("readers"), "read-token-1\n");
        File.WriteAllText(_dir.Combine("admins"), "# merge-rollups\nadmin-token-1\n");
        return CollectorProcess.Start(_dir.Combine("data"), "--read-token-file", _dir.Combine("readers"), "--admin-token-file", _dir.Combine("admins"));
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(CollectorProcess collector, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token != null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await collector.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Reading_roll_ups_takes_an_admin_token_when_one_is_configured()
    {
        using var collector = StartWithTokens();

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(collector, "v1/rollups", null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(collector, "v1/rollups", "read-token-1")).Status);
        // A bad query without the token is refused for the token, not explained.
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(collector, "v1/rollups?since=bogus", null)).Status);
        Assert.Equal((HttpStatusCode.OK, "[]"), await GetAsync(collector, "v1/rollups", "admin-token-1"));
    }

    [Theory]
    [InlineData("since=2025-01-01&until=2026-12-31", "spans 730 days, more than 400")]
    [InlineData("since=2025-01-01&until=2026-02-05", "spans 401 days, more than 400")]
    [InlineData("since=2025-03-02&until=2025-03-01", "since 2025-03-02 is after until 2025-03-01")]
    [InlineData("since=2025-02-30", "since '2025-02-30' is no date: yyyy-MM-dd")]
    [InlineData("until=20250301", "until '20250301' is no date")]
    [InlineData("since=2025-03-01&since=2025-03-02", "since given 2 times")]
    [InlineData("sinse=2025-03-01", "unknown parameter 'sinse'")]
    [InlineData("library=a%20b", "library 'a b' is no library name")]
    public async Task A_range_it_will_not_read_is_400_with_the_reason(string query, string reason)
    {
        using var collector = StartWithTokens();

        var (status, body) = await GetAsync(collector, "v1/rollups?" + query, "admin-token-1");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Four_hundred_days_are_read()
    {
        using var collector = StartWithTokens();

        Assert.Equal((HttpStatusCode.OK, "[]"), await GetAsync(collector, "v1/rollups?since=2025-01-01&until=2026-02-04&library=&library=numpy", "admin-token-1"));
    }

    [Fact]
    public void Merge_rollups_with_a_wrong_token_is_one_line_naming_the_collector_and_exit_1()
    {
        using var collector = StartWithTokens();
        File.WriteAllText(_dir.Combine("wrong"), "read-token-1\n");

        var result = CommandLineTests.Run(_dir.Path, null, "merge-rollups", "--token-file", _dir.Combine("wrong"), collector.Url.ToString());

        CommandLineFailureTests.AssertOneLine(result, 1, $"cannot read {collector.Url}v1/rollups?since=");
        Assert.Contains("401 Unauthorized: a valid read token is required", result.StderrText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("merge-rollups", "merge-rollups needs the URL of at least one collector (see 'polaris-collector merge-rollups --help')")]
    [InlineData("merge-rollups ftp://collector1/", "'ftp://collector1/' is no http or https URL")]
    [InlineData("merge-rollups http://c1:8470 http://c1:8470/", "collector http://c1:8470/ is given twice")]
    [InlineData("merge-rollups --since 2025-03-02 --until 2025-03-01 http://c1:8470", "--since 2025-03-02 is after --until 2025-03-01")]
    [InlineData("merge-rollups --until 01/03/2025 http://c1:8470", "--until '01/03/2025' is no date: yyyy-MM-dd")]
    [InlineData("merge-rollups --format xml http://c1:8470", "--format is table or json, not 'xml'")]
    // The error line shows a control character as '?' (TerminalText): what the terminal prints, not what it acts on.
    [InlineData("merge-rollups --library a\tb http://c1:8470", "--library 'a?b' is no library name")]
    [InlineData("merge-rollups --token-file /nonexistent/token http://c1:8470", "--token-file: cannot read /nonexistent/token")]
    [InlineData("merge-rollups --bogus http://c1:8470", "unknown option --bogus")]
    public void A_wrong_merge_rollups_command_line_is_one_line_and_exit_2(string args, string message)
    {
        var result = CommandLineTests.Run(_dir.Path, null, args.Split(' '));

        CommandLineFailureTests.AssertOneLine(result, 2, message);
    }

    [Fact]
    public void Merge_rollups_help_says_what_it_prints()
    {
        var result = CommandLineTests.Run(_dir.Path, null, "merge-rollups", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("usage: polaris-collector merge-rollups [--since DAY]", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("--token-file FILE", result.StdoutText, StringComparison.Ordinal);
    }
}
