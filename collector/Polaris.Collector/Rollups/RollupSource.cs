using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Polaris.Collector.Cli;

namespace Polaris.Collector.Rollups;

/// <summary>One collector's <c>GET /v1/rollups</c>, read as it streams: a span longer than
/// <see cref="RollupRange.MaxDays"/> is asked in several requests, and each record is added and let go.</summary>
/// <param name="http">The client (its timeout bounds a collector that does not answer).</param>
/// <param name="collector">The collector's base URL (<c>https://collector1:8470/</c>).</param>
/// <param name="token">An admin token of the collector, or null (its loopback with no admin token configured).</param>
public sealed class RollupSource(HttpClient http, Uri collector, string? token)
{
    // What of an error answer is quoted: its first line, enough to say why.
    private const int MaxErrorChars = 300;

    /// <summary>The collector's base URL.</summary>
    public Uri Collector { get; } = BaseOf(collector);

    /// <summary>A collector's URL as a base that <c>v1/rollups</c> resolves against: its path ending in <c>/</c>, so
    /// that <c>https://host/polaris</c> behind a proxy keeps its <c>polaris/</c>.</summary>
    public static Uri BaseOf(Uri collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        var builder = new UriBuilder(collector) { Query = "", Fragment = "" };
        if (!builder.Path.EndsWith('/'))
        {
            builder.Path += "/";
        }
        return builder.Uri;
    }

    /// <summary>Reads the roll-ups of <paramref name="facility"/>'s days into it; only the libraries
    /// <paramref name="libraries"/> names unless it is null.</summary>
    /// <exception cref="StartupException">The collector cannot be reached, refuses, or answers what is no roll-up; the
    /// message names the URL. A facility count missing a collector would be wrong, so there is no partial answer.</exception>
    public async Task AddToAsync(FacilityRollups facility, IReadOnlyList<string>? libraries, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(facility);
        for (int first = facility.Since.DayNumber; first <= facility.Until.DayNumber; first += RollupRange.MaxDays)
        {
            int last = Math.Min(facility.Until.DayNumber, first + RollupRange.MaxDays - 1);
            var url = Url(DateOnly.FromDayNumber(first), DateOnly.FromDayNumber(last), libraries);
            try
            {
                await ReadAsync(url, facility, libraries, cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or JsonException or InvalidDataException or OverflowException
                || (e is TaskCanceledException && !cancellation.IsCancellationRequested))
            {
                var why = e is TaskCanceledException
                    ? string.Create(CultureInfo.InvariantCulture, $"no answer within {http.Timeout.TotalSeconds:0} s")
                    : e.Message;
                throw new StartupException($"cannot read {url}: {why}", e);
            }
        }
    }

    private async Task ReadAsync(Uri url, FacilityRollups facility, IReadOnlyList<string>? libraries, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token != null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidDataException($"{(int)response.StatusCode} {response.ReasonPhrase}: {await FirstLineAsync(body, cancellation).ConfigureAwait(false)}");
            }
            await foreach (var record in JsonSerializer.DeserializeAsyncEnumerable(body, RollupJsonContext.Default.RollupRecord, cancellation).ConfigureAwait(false))
            {
                if (record == null || (libraries != null && !libraries.Contains(record.Library, StringComparer.Ordinal)))
                {
                    throw new InvalidDataException($"a roll-up that was not asked for (library '{record?.Library}')");
                }
                facility.Add(record);
            }
        }
    }

    private Uri Url(DateOnly since, DateOnly until, IReadOnlyList<string>? libraries)
    {
        var query = new StringBuilder($"v1/rollups?since={RollupRange.Text(since)}&until={RollupRange.Text(until)}");
        foreach (var library in libraries ?? [])
        {
            query.Append("&library=").Append(Uri.EscapeDataString(library));
        }
        return new Uri(Collector, query.ToString());
    }

    private static async Task<string> FirstLineAsync(Stream body, CancellationToken cancellation)
    {
        var buffer = new char[MaxErrorChars];
        using var reader = new StreamReader(body, Encoding.UTF8);
        int read = await reader.ReadBlockAsync(buffer, cancellation).ConfigureAwait(false);
        var text = new string(buffer, 0, read).Trim();
        int newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline].TrimEnd();
    }
}
