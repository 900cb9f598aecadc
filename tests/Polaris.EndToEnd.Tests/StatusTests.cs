using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary><c>polaris-agent status</c>, the textfile collector's file and socket activation, against the real daemon.</summary>
public class StatusTests
{
    private static CommandResult Status(string socket, params string[] extra) =>
        CommandResult.Run(AgentBinary.FilePath, ["status", "--socket", socket, .. extra]);

    [Fact]
    public void Status_reports_what_the_running_daemon_received_spooled_and_delivered()
    {
        using var node = new NodeUnderTest();
        var run = node.Daemon.Run([RepoPaths.Python, "-c", "import json"]);
        node.Collector.WaitForProcess(run.Pid);
        node.Daemon.Process.WaitUntil(() => Status(node.Daemon.StatusSocket, "--json").StdoutText.Contains("\"batches_delivered\":1", StringComparison.Ordinal), "the delivery counted");

        var text = Status(node.Daemon.StatusSocket);
        var json = Status(node.Daemon.StatusSocket, "--json");

        Assert.True(text.ExitCode == 0, text.StderrText);
        Assert.Contains("collector: reachable; last delivery", text.StdoutText, StringComparison.Ordinal);
        Assert.Contains("spool: 0 batches", text.StdoutText, StringComparison.Ordinal);
        Assert.Contains("received: 1\n", text.StdoutText, StringComparison.Ordinal);
        using var status = JsonDocument.Parse(json.Stdout);
        var root = status.RootElement;
        Assert.Equal(node.Daemon.Process.Pid, root.GetProperty("pid").GetInt32());
        Assert.Equal(1, root.GetProperty("counters").GetProperty("processes_spooled").GetInt64());
        Assert.Equal(0, root.GetProperty("counters").GetProperty("dropped_malformed").GetInt64());
        Assert.InRange(root.GetProperty("last_delivery_ms").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), long.MaxValue);
    }

    [Fact]
    public void Status_asks_on_the_socket_the_daemons_config_file_names()
    {
        using var node = new NodeUnderTest();
        var noVariable = new Dictionary<string, string?> { ["POLARIS_AGENT_STATUS_SOCKET"] = null };

        var byOption = CommandResult.Run(AgentBinary.FilePath, ["status", "--json", "--config", node.Daemon.ConfigFile], noVariable);
        var byVariable = CommandResult.Run(AgentBinary.FilePath, ["status", "--json"],
            new Dictionary<string, string?>(noVariable) { ["POLARIS_AGENT_CONFIG"] = node.Daemon.ConfigFile });

        foreach (var answer in new[] { byOption, byVariable })
        {
            Assert.True(answer.ExitCode == 0, answer.StderrText);
            using var status = JsonDocument.Parse(answer.Stdout);
            Assert.Equal(node.Daemon.Process.Pid, status.RootElement.GetProperty("pid").GetInt32());
        }
    }

    [Fact]
    public void Status_with_no_daemon_says_so_and_exits_3()
    {
        using var dir = new TempDirectory();

        var result = Status(dir.Combine("status.sock"));

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("no daemon answers on " + dir.Combine("status.sock") + ": the socket does not exist", result.StderrText, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_says_the_collector_refused_the_token_rather_than_calling_it_reachable()
    {
        using var dir = new TempDirectory("polaris-e2e");
        var tokens = dir.Combine("collector-tokens");
        File.WriteAllText(tokens, "s3cr3t-node-token\n");
        using var collector = CollectorProcess.Start(dir.Combine("collector"), "--token-file", tokens);
        using var daemon = AgentDaemon.Start(dir.Path, collector.Url);
        daemon.Run([RepoPaths.Python, "-c", "import json"]);
        daemon.Process.WaitUntil(() => daemon.Process.Output.Contains("HTTP 401", StringComparison.Ordinal), "the collector's refusal");

        var text = Status(daemon.StatusSocket);
        var json = Status(daemon.StatusSocket, "--json");

        Assert.Contains("collector: NOT accepting: it refused the daemon's token", text.StdoutText, StringComparison.Ordinal);
        using var status = JsonDocument.Parse(json.Stdout);
        Assert.Equal(0, status.RootElement.GetProperty("collector_reachable").GetInt64());
        Assert.Equal(1, status.RootElement.GetProperty("collector_token_refused").GetInt64());
    }

    [Fact]
    public void Garbage_and_a_flood_of_connections_on_the_status_socket_leave_the_daemon_serving()
    {
        using var node = new NodeUnderTest();
        var garbage = new byte[64 * 1024];
        Random.Shared.NextBytes(garbage);

        Parallel.For(0, 500, new ParallelOptions { MaxDegreeOfParallelism = 16 }, _ =>
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(node.Daemon.StatusSocket));
            try
            {
                socket.Send(garbage);
            }
            catch (SocketException)
            {
                // The daemon answered and closed before reading: what it should do.
            }
        });
        var run = node.Daemon.Run([RepoPaths.Python, "-c", "import json"]);

        node.Collector.WaitForProcess(run.Pid);
        Assert.False(node.Daemon.Process.HasExited);
        Assert.Equal(0, Status(node.Daemon.StatusSocket).ExitCode);
    }

    [Fact]
    public void The_textfile_collector_file_follows_the_counters_and_passes_promtool()
    {
        using var dir = new TempDirectory("polaris-e2e");
        var textfiles = Directory.CreateDirectory(dir.Combine("textfile")).FullName;
        using var collector = CollectorProcess.Start(dir.Combine("collector"));
        using var daemon = AgentDaemon.Start(dir.Path, collector.Url, new JsonObject { ["textfileDirectory"] = textfiles });
        var file = Path.Combine(textfiles, "polaris_agent.prom");

        var run = daemon.Run([RepoPaths.Python, "-c", "import json"]);
        collector.WaitForProcess(run.Pid);
        daemon.Process.WaitUntil(() => File.Exists(file) && MetricsText.Value(File.ReadAllText(file), "polaris_agent_batches_delivered_total") == 1, "the delivery in " + file);

        var text = File.ReadAllText(file);
        Assert.Equal(1, MetricsText.Value(text, "polaris_agent_received_total"));
        Assert.Equal(1, MetricsText.Value(text, "polaris_agent_collector_reachable"));
        Assert.Equal(0, MetricsText.Value(text, "polaris_agent_spooled_batches"));
        var check = CommandResult.Run("sh", ["-c", "promtool check metrics < \"$0\"", file]);
        Assert.True(check.ExitCode == 0, check.StdoutText + check.StderrText);
    }

    [Fact]
    public void Under_socket_activation_the_daemon_answers_on_the_socket_it_was_given()
    {
        using var dir = new TempDirectory("polaris-e2e");
        var activated = dir.Combine("activated.sock");
        var configured = dir.Combine("status.sock");
        // systemd-socket-activate binds the socket and starts the daemon on the first connection, passing it in
        // LISTEN_FDS as polaris-agent.socket does.
        using var activator = ChildProcess.Start("systemd-socket-activate",
            ["-l", activated, AgentBinary.FilePath, "serve", "--drop", dir.Combine("incoming"), "--spool", dir.Combine("spool"),
             "--collector", "http://127.0.0.1:9/"],
            new Dictionary<string, string> { ["POLARIS_AGENT_STATUS_SOCKET"] = configured });
        activator.WaitUntil(() => File.Exists(activated), "the socket bound");

        var status = Status(activated);

        Assert.True(status.ExitCode == 0, status.StderrText + activator.Output);
        Assert.Contains("collector: not tried yet", status.StdoutText, StringComparison.Ordinal);
        // The console logger writes on a thread of its own: the line may come a moment after the answer.
        activator.WaitUntil(() => activator.Output.Contains("Answering status requests on " + activated, StringComparison.Ordinal), "the log line naming the socket");
        Assert.False(File.Exists(configured), "the daemon bound a socket of its own instead of the one it was given");
        activator.Terminate();
    }
}
