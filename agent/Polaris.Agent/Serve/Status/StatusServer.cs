using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polaris.Agent.Serve.Spool;

namespace Polaris.Agent.Serve.Status;

/// <summary>Answers <c>polaris-agent status</c>: every connection to the status socket gets the daemon's state as
/// one JSON object, then is closed. What a client sends is never read, so no input can harm the daemon.</summary>
/// <remarks>
/// Under systemd the socket comes from <c>polaris-agent.socket</c> (socket activation, <c>LISTEN_FDS</c>), so it
/// exists before the daemon and survives its restarts; standalone, the daemon binds
/// <see cref="AgentOptions.StatusSocket"/> itself. A thread blocks in <c>accept</c>: no timer runs.
/// </remarks>
public sealed class StatusServer(
    AgentOptions options,
    AgentCounters counters,
    BatchSpool spool,
    ILogger<StatusServer> logger) : IHostedService, IDisposable
{
    private readonly long _startedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private Socket? _listener;
    private Thread? _thread;
    private volatile bool _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = SystemdSockets.Take() ?? Bind(options.StatusSocket);
        LogMessages.StatusListening(logger, _listener.LocalEndPoint?.ToString() ?? options.StatusSocket);
        _thread = new Thread(Serve) { Name = "polaris-status", IsBackground = true };
        _thread.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        // Shutting the listener down wakes the blocked accept.
        try
        {
            _listener?.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        _listener?.Dispose();
        _thread?.Join(TimeSpan.FromSeconds(5));
        return Task.CompletedTask;
    }

    /// <summary>The state now, as the socket and the textfile show it.</summary>
    public AgentStatus Current() => AgentStatus.Of(counters, spool, _startedMs);

    private void Serve()
    {
        while (!_stopping)
        {
            Socket client;
            try
            {
                client = _listener!.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (_stopping)
                {
                    return;
                }
                continue;
            }
            using (client)
            {
                try
                {
                    client.SendTimeout = 1000;
                    client.Send(Current().ToJson());
                    client.Shutdown(SocketShutdown.Both);
                }
                catch (Exception e) when (e is SocketException or IOException)
                {
                    // The client went away: nothing to do.
                }
            }
        }
    }

    private static Socket Bind(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Only a socket left by an earlier run is replaced; any other file there is a configuration error.
        if (Native.FileStatus.Of(path) is { } existing)
        {
            if ((existing.Mode & 0xF000) != 0xC000)
            {
                throw new IOException($"setting 'statusSocket': {path} exists and is not a socket");
            }
            File.Delete(path);
        }
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            // Anyone on the node may ask how the daemon is doing; the answer holds counts, no names.
            File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);
            socket.Listen(16);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"setting 'statusSocket': cannot listen on {path}: {e.Message}", e);
        }
        return socket;
    }

    public void Dispose() => _listener?.Dispose();
}
