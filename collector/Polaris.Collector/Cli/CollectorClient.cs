using System.Net.Http.Headers;

namespace Polaris.Collector.Cli;

/// <summary>How the commands that work through a running collector (<c>--collector URL [--token-file FILE]</c>) reach
/// it: its URL, checked, and an <see cref="HttpClient"/> carrying the token.</summary>
internal static class CollectorClient
{
    /// <summary>An HTTP client for <paramref name="url"/> with the token in <paramref name="tokenFile"/> (its first line
    /// that is not empty or a <c>#</c> comment); none: no token, as on loopback. The base address keeps a path
    /// prefix: relative to <c>https://h/polaris</c>, <c>v1/pbs</c> is <c>https://h/polaris/v1/pbs</c>.</summary>
    /// <exception cref="UsageException">The URL is not http or https, or the token file cannot be read or holds none.</exception>
    public static HttpClient Create(string url, string? tokenFile, TimeSpan timeout)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var collector) || collector.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"option --collector: '{url}' is not an http or https URL");
        }
        var token = tokenFile == null ? null : ReadToken(tokenFile);
        var http = new HttpClient { Timeout = timeout, BaseAddress = new Uri(collector.AbsoluteUri.TrimEnd('/') + "/") };
        if (token != null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return http;
    }

    private static string ReadToken(string tokenFile)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(tokenFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"option --token-file: cannot read {tokenFile}: {e.Message}", e);
        }
        return lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && l[0] != '#')
            ?? throw new UsageException($"option --token-file: {tokenFile} holds no token");
    }
}
