using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Polaris.Agent.Cli;

namespace Polaris.Agent.Serve.Status;

/// <summary><c>polaris-agent status</c>: asks the running daemon on its status socket and prints the answer.</summary>
public static class StatusCommand
{
    /// <summary>Exit status when no daemon answers, so scripts and health checks can tell.</summary>
    public const int NotRunning = 3;

    private static readonly HashSet<string> Options = ["socket", "config"];
    private static readonly HashSet<string> Flags = ["json"];

    public static int Execute(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var cli = new OptionReader(args, Options, Flags);
        if (cli.Operands.Count > 0)
        {
            throw new UsageException($"status takes no operands: '{cli.Operands[0]}'");
        }
        // Found as the daemon finds it (option, variable, config file, default), so a socket moved in agent.json
        // is asked where the daemon listens.
        var path = cli.Get("socket") ?? AgentOptions.FromFileAndEnvironment(cli.Get("config"), AgentOptions.EnvironmentVariables()).StatusSocket;
        byte[] answer;
        try
        {
            answer = Ask(path);
        }
        catch (SocketException e)
        {
            error.WriteLine($"polaris-agent: no daemon answers on {path}: {Why(e, path)}");
            return NotRunning;
        }
        if (cli.Has("json"))
        {
            output.Write(System.Text.Encoding.UTF8.GetString(answer));
            return 0;
        }
        try
        {
            using var document = JsonDocument.Parse(answer);
            Print(document.RootElement, output);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            error.WriteLine($"polaris-agent: the answer on {path} is not a daemon's status: {e.Message}");
            return 1;
        }
        return 0;
    }

    /// <summary>The reason in words: .NET reports a socket file that does not exist as "Cannot assign requested address".</summary>
    private static string Why(SocketException e, string path) => e.SocketErrorCode switch
    {
        SocketError.AddressNotAvailable when !File.Exists(path) => "the socket does not exist",
        SocketError.ConnectionRefused => "nothing listens on the socket",
        SocketError.AccessDenied => "permission denied",
        _ => e.Message,
    };

    private static byte[] Ask(string path)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.ReceiveTimeout = 5000;
        socket.Connect(new UnixDomainSocketEndPoint(path));
        using var answer = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = socket.Receive(buffer)) > 0 && answer.Length < 1 << 20)
        {
            answer.Write(buffer, 0, read);
        }
        return answer.ToArray();
    }

    private static void Print(JsonElement status, TextWriter output)
    {
        var now = DateTimeOffset.UtcNow;
        var started = DateTimeOffset.FromUnixTimeMilliseconds(status.GetProperty("started_ms").GetInt64());
        output.WriteLine($"polaris-agent {status.GetProperty("version").GetString()}, pid {status.GetProperty("pid").GetInt32()}, up {Ago(now - started)}");
        bool tokenRefused = status.TryGetProperty("collector_token_refused", out var refused) && refused.GetInt64() == 1;
        var reachable = status.GetProperty("collector_reachable").GetInt64() switch
        {
            1 => "reachable",
            0 when tokenRefused => "NOT accepting: it refused the daemon's token (HTTP 401/403; see tokenFile)",
            0 => "NOT reachable",
            _ => "not tried yet",
        };
        var lastMs = status.GetProperty("last_delivery_ms").GetInt64();
        var last = lastMs > 0 ? $"last delivery {Ago(now - DateTimeOffset.FromUnixTimeMilliseconds(lastMs))} ago" : "no delivery since start";
        output.WriteLine($"collector: {reachable}; {last}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"spool: {status.GetProperty("spooled_batches").GetInt64()} batches, {status.GetProperty("spooled_bytes").GetInt64()} bytes"));
        foreach (var counter in status.GetProperty("counters").EnumerateObject())
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{counter.Name}: {counter.Value.GetInt64()}"));
        }
    }

    private static string Ago(TimeSpan span) =>
        span.TotalSeconds < 120 ? $"{Math.Max(0, (int)span.TotalSeconds)} s"
        : span.TotalHours < 2 ? $"{(int)span.TotalMinutes} min"
        : span.TotalDays < 2 ? $"{(int)span.TotalHours} h"
        : $"{(int)span.TotalDays} days";
}
