using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Polaris.Collector.Ingest;
using Polaris.Collector.Scheduler;

namespace Polaris.Collector.Cli;

/// <summary>Imports logs through a running collector: each file is posted to its <c>POST /v1/pbs</c>, which imports
/// it with the same code into the store the collector holds.</summary>
internal sealed class CollectorPbsImporter : IPbsLogImporter
{
    // An import of a large log takes a while; the collector answers once it is stored.
    private static readonly TimeSpan Timeout = TimeSpan.FromHours(1);
    private const int MaxReasonChars = 300;

    private readonly HttpClient _http;
    private readonly Uri _collector;

    private CollectorPbsImporter(HttpClient http, Uri collector)
    {
        _http = http;
        _collector = collector;
    }

    /// <summary>An importer posting to <paramref name="url"/> with the admin token in <paramref name="tokenFile"/>
    /// (its first line that is not empty or a <c>#</c> comment); none: no token, as on loopback.</summary>
    /// <exception cref="UsageException">The URL is not http or https, or the token file cannot be read or holds none.</exception>
    public static CollectorPbsImporter Create(string url, string? tokenFile)
    {
        var http = CollectorClient.Create(url, tokenFile, Timeout);
        return new CollectorPbsImporter(http, new Uri(http.BaseAddress!, "v1/pbs"));
    }

    /// <inheritdoc />
    public async Task<PbsImportReport> ImportAsync(string path)
    {
        using var log = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.SequentialScan);
        if (log.Length > PbsEndpoint.MaxBodyBytes)
        {
            throw new IOException(string.Create(CultureInfo.InvariantCulture,
                $"it is {log.Length} bytes, more than a collector takes in one post ({PbsEndpoint.MaxBodyBytes}): cut it at line ends (split -C), or import it with the collector stopped"));
        }
        using var content = new PbsLogContent(log);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(_collector, content).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new StartupException($"cannot post {path} to {_collector}: {e.Message}", e);
        }
        catch (TaskCanceledException e)
        {
            throw new StartupException($"{_collector} did not answer about {path} within {Timeout.TotalMinutes} minutes", e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var reason = Reason(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
                throw new StartupException($"{_collector} answered {(int)response.StatusCode} to {path}: {reason}");
            }
            try
            {
                return await response.Content.ReadFromJsonAsync<PbsImportReport>().ConfigureAwait(false)
                    ?? throw new JsonException("null");
            }
            catch (JsonException e)
            {
                throw new StartupException($"{_collector} answered {path} with no import report: {e.Message}", e);
            }
        }
    }

    public void Dispose() => _http.Dispose();

    // A problem's detail (ASP.NET's JSON), else the text's first line; bounded, as the answer is the server's to write.
    private static string Reason(string body)
    {
        string text = body;
        try
        {
            using var problem = JsonDocument.Parse(body);
            if (problem.RootElement.ValueKind == JsonValueKind.Object
                && (problem.RootElement.TryGetProperty("detail", out var detail) || problem.RootElement.TryGetProperty("title", out detail))
                && detail.ValueKind == JsonValueKind.String)
            {
                text = detail.GetString()!;
            }
        }
        catch (JsonException)
        {
        }
        text = text.Split('\n', 2)[0].Trim();
        return text.Length > MaxReasonChars ? text[..MaxReasonChars] + "..." : text;
    }
}
