using System.Net.Http.Headers;
using System.Text.Json;
using Polaris.Wire;

namespace Polaris.Collector.Import;

/// <summary>Imports through a running collector: each batch is posted to its <c>POST /v1/imports</c> (admin token),
/// which stores it with the same code into the store the collector holds; a 503 is retried, as agents do.</summary>
public sealed class CollectorImportSink(HttpClient http) : IImportSink
{
    private const int MaxAttempts = 30;
    private readonly List<string> _reasons = [];

    public long Stored { get; private set; }

    public long Duplicates { get; private set; }

    public long Refused { get; private set; }

    public IReadOnlyList<string> RefusalReasons => _reasons;

    /// <exception cref="HttpRequestException">The collector refused the batch or could not be reached.</exception>
    public async Task AddAsync(Batch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var bytes = BatchCodec.Encode(batch);
        for (int attempt = 1; ; attempt++)
        {
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.polaris.batch+msgpack+zstd");
            using var response = await http.PostAsync(new Uri(http.BaseAddress!, "v1/imports"), content).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                Count(batch.Summaries.Count, body);
                return;
            }
            if ((int)response.StatusCode != 503 || attempt == MaxAttempts)
            {
                throw new HttpRequestException($"the collector answered {(int)response.StatusCode} {response.ReasonPhrase}: {body[..Math.Min(body.Length, 300)]}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
    }

    public Task FlushAsync() => Task.CompletedTask; // the collector folds within foldMilliseconds

    private void Count(int sent, string receipt)
    {
        using var document = JsonDocument.Parse(receipt);
        var root = document.RootElement;
        int stored = root.GetProperty("summaries").GetInt32();
        var refused = root.GetProperty("refused");
        bool duplicate = root.GetProperty("duplicate").GetBoolean();
        Stored += duplicate ? 0 : stored;
        Refused += duplicate ? 0 : refused.GetArrayLength();
        Duplicates += duplicate ? sent : sent - stored - refused.GetArrayLength();
        foreach (var refusal in refused.EnumerateArray().Take(Math.Max(0, 5 - _reasons.Count)))
        {
            _reasons.Add(refusal.GetProperty("reason").GetString() ?? "");
        }
    }

    public void Dispose() => http.Dispose();
}
