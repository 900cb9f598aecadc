using System.Net;
using Microsoft.AspNetCore.Http;
using Polaris.Collector.Access;
using Polaris.Testing;

namespace Polaris.Collector.Tests;

/// <summary>The read endpoints are guarded: aggregates by a read token, what names users and jobs by an admin token,
/// loopback only when none is configured (issue 10, item 10).</summary>
public class ReadAccessTests
{
    private static async Task<HttpStatusCode> GetAsync(CollectorProcess collector, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token != null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await collector.Http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Each_read_endpoint_takes_its_own_token_and_an_agents_token_reads_nothing()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("agents"), "agent-token-1\n");
        File.WriteAllText(dir.Combine("readers"), "# prometheus\nread-token-1\n");
        File.WriteAllText(dir.Combine("admins"), "admin-token-1\n");
        using var collector = CollectorProcess.Start(dir.Combine("data"),
            "--token-file", dir.Combine("agents"), "--read-token-file", dir.Combine("readers"), "--admin-token-file", dir.Combine("admins"));

        (string Path, string? Token, HttpStatusCode Expected)[] cases =
        [
            ("metrics", null, HttpStatusCode.Unauthorized),
            ("metrics", "agent-token-1", HttpStatusCode.Unauthorized),
            ("metrics", "read-token-1", HttpStatusCode.OK),
            ("metrics", "admin-token-1", HttpStatusCode.OK),
            ("v1/libraries", null, HttpStatusCode.Unauthorized),
            ("v1/libraries", "read-token-1", HttpStatusCode.OK),
            ("v1/summaries", null, HttpStatusCode.Unauthorized),
            ("v1/summaries", "agent-token-1", HttpStatusCode.Unauthorized),
            ("v1/summaries", "read-token-1", HttpStatusCode.Unauthorized),
            ("v1/summaries", "admin-token-1", HttpStatusCode.OK),
            ("V1/Summaries/", "read-token-1", HttpStatusCode.Unauthorized),
            // A prefix of a token, and a token with more after it: compared as fixed-size hashes, both are wrong.
            ("v1/summaries", "admin-token-", HttpStatusCode.Unauthorized),
            ("v1/summaries", "admin-token-12", HttpStatusCode.Unauthorized),
            ("healthz", null, HttpStatusCode.OK),
            // The dashboard shows aggregates: a read token, which a browser has through a proxy that adds it.
            ("", null, HttpStatusCode.Unauthorized),
            ("", "agent-token-1", HttpStatusCode.Unauthorized),
            ("", "read-token-1", HttpStatusCode.OK),
            ("dashboard/chart/libraries", null, HttpStatusCode.Unauthorized),
            ("dashboard/chart/libraries", "read-token-1", HttpStatusCode.OK),
            ("dashboard/dashboard.js", null, HttpStatusCode.Unauthorized),
            ("dashboard/dashboard.js", "admin-token-1", HttpStatusCode.OK),
            ("?token=read-token-1", null, HttpStatusCode.Unauthorized),
        ];
        foreach (var (path, token, expected) in cases)
        {
            Assert.True(expected == await GetAsync(collector, path, token), $"{path} with {token ?? "no token"}: expected {expected}");
        }
    }

    [Theory]
    [InlineData("10.1.2.3", ReadLevel.Aggregates, StatusCodes.Status403Forbidden)]
    [InlineData("10.1.2.3", ReadLevel.UserData, StatusCodes.Status403Forbidden)]
    [InlineData("::ffff:10.1.2.3", ReadLevel.UserData, StatusCodes.Status403Forbidden)]
    [InlineData("127.0.0.1", ReadLevel.UserData, StatusCodes.Status200OK)]
    [InlineData("::1", ReadLevel.Aggregates, StatusCodes.Status200OK)]
    [InlineData("::ffff:127.0.0.1", ReadLevel.UserData, StatusCodes.Status200OK)]
    public void With_no_token_configured_reads_are_answered_on_loopback_only(string remote, ReadLevel level, int expected)
    {
        var guard = new ReadGuard(new CollectorOptions());
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);

        Assert.Equal(expected, guard.Check(context, level));
    }

    [Fact]
    public void A_read_token_alone_leaves_user_data_to_loopback()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("readers"), "read-token-1\n");
        var guard = new ReadGuard(new CollectorOptions { ReadTokenFile = dir.Combine("readers") });
        var remote = new DefaultHttpContext();
        remote.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
        remote.Request.Headers.Authorization = "Bearer read-token-1";

        Assert.Equal(StatusCodes.Status200OK, guard.Check(remote, ReadLevel.Aggregates));
        Assert.Equal(StatusCodes.Status403Forbidden, guard.Check(remote, ReadLevel.UserData));
    }

    /// <summary>Tokens as the unit passes them (<c>LoadCredential=</c>, with a blank <c>SetCredential=</c> default): the
    /// settings default to <c>$CREDENTIALS_DIRECTORY/NAME</c>, and a blank credential means none.</summary>
    [Fact]
    public async Task Tokens_passed_as_credentials_guard_the_endpoints_and_a_blank_one_means_none()
    {
        using var dir = new TempDirectory();
        var credentials = Directory.CreateDirectory(dir.Combine("credentials")).FullName;
        File.WriteAllText(Path.Combine(credentials, "read-tokens"), "read-token-1\n");
        // The unit's SetCredential=admin-tokens:\n default, for a file the site has not made.
        File.WriteAllText(Path.Combine(credentials, "admin-tokens"), "\n");
        using var collector = CollectorProcess.StartOn(new Uri("http://127.0.0.1:0"), dir.Combine("data"),
            new Dictionary<string, string> { ["CREDENTIALS_DIRECTORY"] = credentials });

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(collector, "metrics", null));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(collector, "metrics", "read-token-1"));
        // No admin token configured: user-level data answers loopback only, as with no adminTokenFile.
        Assert.Equal(HttpStatusCode.OK, await GetAsync(collector, "v1/summaries", null));
    }
}
