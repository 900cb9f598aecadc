using System.Net;
using Microsoft.AspNetCore.Http;
using Polaris.Collector.Ingest;
using Polaris.Testing;

namespace Polaris.Collector.Tests;

/// <summary>Posting is guarded like reading: with no agent token file, batches are taken on loopback only, so a
/// collector opened to the network without tokens cannot be fed forged summaries by anyone who reaches its port.</summary>
public class PostAccessTests
{
    [Theory]
    [InlineData("10.1.2.3", StatusCodes.Status403Forbidden)]
    [InlineData("::ffff:192.0.2.2", StatusCodes.Status403Forbidden)]
    [InlineData("127.0.0.1", StatusCodes.Status200OK)]
    [InlineData("::1", StatusCodes.Status200OK)]
    public void With_no_token_file_batches_are_taken_on_loopback_only(string remote, int expected)
    {
        var tokens = new AgentTokens(new CollectorOptions());

        Assert.Equal(expected, tokens.Check(From(remote, token: null)));
    }

    [Fact]
    public void With_a_token_file_a_post_from_anywhere_needs_one_of_its_tokens()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("agents"), "agent-token-1\n");
        var tokens = new AgentTokens(new CollectorOptions { TokenFile = dir.Combine("agents") });

        Assert.Equal(StatusCodes.Status200OK, tokens.Check(From("10.1.2.3", "agent-token-1")));
        Assert.Equal(StatusCodes.Status401Unauthorized, tokens.Check(From("10.1.2.3", "agent-token-2")));
        Assert.Equal(StatusCodes.Status401Unauthorized, tokens.Check(From("127.0.0.1", token: null)));
    }

    private static DefaultHttpContext From(string remote, string? token)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (token != null)
        {
            context.Request.Headers.Authorization = "Bearer " + token;
        }
        return context;
    }
}
