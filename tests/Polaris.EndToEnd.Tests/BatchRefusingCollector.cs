using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Polaris.EndToEnd.Tests;

/// <summary>A stand-in collector on loopback that answers <c>status</c> (500 unless told) to the first
/// <c>refusals</c> posts of the first batch key it sees (a batch the collector cannot take, or a collector too busy
/// for it) and 200 to every other post: the collector is up, one batch is not taken.</summary>
public sealed class BatchRefusingCollector : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, int> _posts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _taken = new();
    private readonly ConcurrentQueue<TimeSpan> _refusedAt = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _serving;
    private readonly int _status;
    private readonly int? _retryAfterSeconds;
    private readonly int _refusals;
    private readonly string? _receipt;
    private string? _refused;

    /// <summary>Starts listening on a port the kernel picks.</summary>
    /// <param name="status">The answer to the refused posts.</param>
    /// <param name="retryAfterSeconds">A <c>Retry-After</c> header sent with them, when given.</param>
    /// <param name="refusals">How many posts of the first key are refused before it is taken too.</param>
    /// <param name="receipt">The body of each 200 answer, when given (a collector's receipt, as JSON).</param>
    public BatchRefusingCollector(int status = 500, int? retryAfterSeconds = null, int refusals = int.MaxValue, string? receipt = null)
    {
        _status = status;
        _retryAfterSeconds = retryAfterSeconds;
        _refusals = refusals;
        _receipt = receipt;
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

    /// <summary>The first key, whose posts are refused, once a batch came.</summary>
    public string? Refused => Volatile.Read(ref _refused);

    /// <summary>Keys answered 200 other than the refused one.</summary>
    public IReadOnlyCollection<string> Accepted => _posts.Keys.Where(k => k != Refused).ToArray();

    /// <summary>Keys answered 200, in the order they were taken.</summary>
    public IReadOnlyList<string> Taken => _taken.ToArray();

    /// <summary>When each refused post came, since the collector started.</summary>
    public IReadOnlyList<TimeSpan> RefusedAt => _refusedAt.ToArray();

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
            int posts = _posts.AddOrUpdate(key, 1, (_, n) => n + 1);
            if (key == Refused && posts <= _refusals)
            {
                _refusedAt.Enqueue(_clock.Elapsed);
                context.Response.StatusCode = _status;
                if (_retryAfterSeconds is { } seconds)
                {
                    context.Response.AddHeader("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            else
            {
                _taken.Enqueue(key);
                context.Response.StatusCode = 200;
                if (_receipt != null)
                {
                    var bytes = Encoding.UTF8.GetBytes(_receipt);
                    context.Response.ContentType = "application/json";
                    await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
                }
            }
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
