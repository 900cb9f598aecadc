using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Polaris.Wire;

namespace Polaris.EndToEnd.Tests;

/// <summary>A stand-in collector on loopback that takes every batch (200), decodes it with the wire library as the
/// collector does, and keeps each summary with the time it came: what a node daemon ships, version by version.</summary>
public sealed class SummaryCapture : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(TimeSpan At, ProcessSummary Summary)> _summaries = new();
    private readonly ConcurrentQueue<string> _refused = new();
    private readonly ConcurrentQueue<(string Key, ProcessSummary Summary)> _keyed = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _serving;

    public SummaryCapture()
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

    /// <summary>Since the capture started.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Every summary received, in the order it came, with when.</summary>
    public IReadOnlyList<(TimeSpan At, ProcessSummary Summary)> Received => _summaries.ToArray();

    /// <summary>Why summaries were refused by the wire library's checks, if any were.</summary>
    public IReadOnlyList<string> Refused => _refused.ToArray();

    /// <summary>The batch key each summary came in, as many times as it came: a batch posted again (the daemon retries
    /// what it has no acknowledgement of) repeats its key.</summary>
    public IReadOnlyList<(string Key, ProcessSummary Summary)> Keyed => _keyed.ToArray();

    /// <summary>The summaries that list process <paramref name="pid"/>, in the order they came.</summary>
    public IReadOnlyList<(TimeSpan At, ProcessSummary Summary)> Of(int pid) =>
        Received.Where(r => r.Summary.Members.Any(m => m.Pid == pid)).ToArray();

    /// <summary>Waits until a summary that <paramref name="match"/>es has come, and returns it with when it came.</summary>
    public (TimeSpan At, ProcessSummary Summary) WaitFor(Func<ProcessSummary, bool> match, string what, TimeSpan? timeout = null)
    {
        var deadline = Now + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            foreach (var received in Received)
            {
                if (match(received.Summary))
                {
                    return received;
                }
            }
            if (Now > deadline)
            {
                throw new TimeoutException($"no {what}; received: " + string.Join("; ", Received.Select(r => Describe(r.Summary))));
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>One line about a summary, for failure messages.</summary>
    public static string Describe(ProcessSummary s) =>
        $"sid {s.SummaryId ?? "-"} v{s.Version}{(s.Final ? " final" : "")} members [{string.Join(", ", s.Members.Select(m => $"{m.Pid} {m.ExitReason}"))}] {s.Modules.Count} modules";

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
                var batch = BatchCodec.Receive(body.ToArray());
                foreach (var refusal in batch.Refused)
                {
                    _refused.Enqueue(refusal.Reason);
                }
                foreach (var summary in batch.Batch.Summaries)
                {
                    _keyed.Enqueue((batch.Batch.Key, summary));
                    _summaries.Enqueue((Now, summary));
                }
            }
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        // Close alone: it stops the listener too. Stop first would unregister the port, and Close would then bind it
        // again to unregister it once more, which fails ("Address already in use") when another process of a busy
        // machine took the port in between.
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
