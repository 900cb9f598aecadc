using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polaris.Wire;

namespace Polaris.Agent.Serve.Receive;

/// <summary>The receive stage: accepts hook connections on the Unix socket and turns each into a <see cref="ProcessRecord"/>.</summary>
/// <remarks>
/// Any local user can connect and send any bytes, so every message is bounded in size and time,
/// parsed defensively, and attributed to the kernel's credentials for the connection.
/// </remarks>
public sealed class HookListener(
    AgentOptions options,
    ChannelWriter<ProcessRecord> records,
    UserDirectory users,
    AgentCounters counters,
    ILogger<HookListener> logger) : BackgroundService
{
    private const int MaxConcurrentConnections = 64;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _slots = new(MaxConcurrentConnections);
    private readonly string _host = Environment.MachineName;
    private Socket? _listener;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Bind before the host reports started: a socket we cannot own must stop start-up, not fail later.
        _listener = UnixSocket.Listen(options.Socket);
        LogMessages.Listening(logger, options.Socket);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = _listener!;
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                client = await listener.AcceptAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException e)
            {
                _slots.Release();
                LogMessages.AcceptFailed(logger, e.SocketErrorCode);
                continue;
            }
            _ = HandleAsync(client, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _listener?.Dispose();
        UnixSocket.Remove(options.Socket);
        // Let connections already accepted finish, so their records reach the batcher before it flushes.
        for (int i = 0; i < MaxConcurrentConnections; i++)
        {
            if (!await _slots.WaitAsync(ReadTimeout, cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }
    }

    private async Task HandleAsync(Socket client, CancellationToken stoppingToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using (client)
            {
                var sender = PeerCredentials.Of(client);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(ReadTimeout);
                int length = 0;
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= options.MaxRecordBytes)
                        {
                            counters.Oversized();
                            return;
                        }
                        buffer = Grow(buffer, Math.Min(buffer.Length * 2, options.MaxRecordBytes));
                    }
                    int read = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }
                    length += read;
                }
                Accept(buffer.AsSpan(0, length), sender);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            counters.ReadError();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _slots.Release();
        }
    }

    private void Accept(ReadOnlySpan<byte> message, PeerCredentials sender)
    {
        ProcessRecord record;
        try
        {
            var user = users.Find(sender.Uid)?.Name ?? sender.Uid.ToString(CultureInfo.InvariantCulture);
            record = HookMessage.Parse(message, sender, _host, user);
        }
        catch (FormatException)
        {
            counters.Malformed();
            return;
        }
        if (records.TryWrite(record))
        {
            counters.RecordReceived();
        }
        else
        {
            counters.QueueFull();
        }
    }

    private static byte[] Grow(byte[] buffer, int size)
    {
        var larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.CopyTo(larger, 0);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        _slots.Dispose();
        base.Dispose();
    }
}
