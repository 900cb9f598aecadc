using System.Net;
using Polaris.Testing;

namespace Polaris.Collector.Tests;

/// <summary>Secrets as the unit passes them (<c>LoadCredential=</c>, with a blank <c>SetCredential=</c> default): the
/// collector's token settings default to <c>$CREDENTIALS_DIRECTORY/NAME</c>, and a blank credential means none.</summary>
public class SystemdCredentialTests
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
