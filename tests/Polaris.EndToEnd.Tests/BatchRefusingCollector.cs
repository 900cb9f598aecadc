using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Polaris.EndToEnd.Tests;

/// <summary>A stand-in collector on loopback that answers 500 to every post of the first batch key it sees (a batch
/// the collector cannot take) and 200 to every other: the collector is up, one batch is not.</summary>
public sealed class BatchRefusingCollector : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, int> _posts = new(StringComparer.Ordinal);
    private readonly Task _serving;
    private string? _refused;

    public BatchRefusingCollector()
    {
        // HttpListener needs a port up front: take one the kernel picks, then let it go.
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
        }
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    /// <summary>The key answered 500, once a batch came.</summary>
    public string? Refused => Volatile.Read(ref _refused);

    /// <summary>Keys answered 200.</summary>
    public IReadOnlyCollection<string> Accepted => _posts.Keys.Where(k => k != Refused).ToArray();

    /// <summary>Posts of a key so far.</summary>
    public int Posts(string key) => _posts.GetValueOrDefault(key);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using (var body = new MemoryStream())
            {
                await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
            }
            var key = context.Request.Headers["Polaris-Batch-Key"] ?? "";
            Interlocked.CompareExchange(ref _refused, key, null);
            _posts.AddOrUpdate(key, 1, (_, n) => n + 1);
            context.Response.StatusCode = key == Refused ? 500 : 200;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
