using System.Text.Json.Nodes;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>How the daemon reaches collectors: fail-over between URLs, a bearer token, https with a CA of the facility's.</summary>
public class ShippingTests
{
    private const string Workload = "import json";

    [Fact]
    public void Batches_go_to_the_next_collector_when_the_first_cannot_be_reached()
    {
        using var dir = new TempDirectory("polaris-e2e");
        using var collector = CollectorProcess.Start(dir.Combine("collector"));
        var urls = new JsonArray("http://127.0.0.1:9/", collector.Url.ToString());
        using var daemon = AgentDaemon.Start(dir.Path, collector.Url, new JsonObject { ["collector"] = urls });

        var run = daemon.Run([RepoPaths.Python, "-c", Workload]);

        collector.WaitForProcess(run.Pid);
        Assert.Equal(1, collector.Metric("polaris_python_processes_total"));
    }

    [Fact]
    public void A_collector_that_requires_a_token_gets_the_batch_once_the_agent_shows_it()
    {
        using var dir = new TempDirectory("polaris-e2e");
        var tokens = dir.Combine("collector-tokens");
        File.WriteAllText(tokens, "# rolled out 2026-11\ns3cr3t-node-token\n");
        using var collector = CollectorProcess.Start(dir.Combine("collector"), "--token-file", tokens);
        int pid;
        using (var without = AgentDaemon.Start(dir.Path, collector.Url))
        {
            pid = without.Run([RepoPaths.Python, "-c", Workload]).Pid;
            without.Process.WaitUntil(() => without.Process.Output.Contains("HTTP 401", StringComparison.Ordinal), "the collector's refusal");
            without.Process.Terminate();
        }
        Assert.Empty(collector.StoredPids());
        Assert.True(collector.Metric("polaris_collector_batches_total{result=\"unauthorized\"}") >= 1);
        var token = dir.Combine("token");
        File.WriteAllText(token, "s3cr3t-node-token\n");
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        using var with = AgentDaemon.Start(dir.Path, collector.Url, new JsonObject { ["tokenFile"] = token });

        collector.WaitForProcess(pid);
        Assert.Equal(1, collector.Metric("polaris_python_processes_total"));
    }

    [Fact]
    public void A_token_file_other_users_can_read_stops_start_up_naming_the_setting()
    {
        using var dir = new TempDirectory("polaris-e2e");
        var token = dir.Combine("token");
        File.WriteAllText(token, "s3cr3t\n");
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = CommandResult.Run(AgentBinary.FilePath, ["serve", "--drop", dir.Combine("incoming"), "--spool", dir.Combine("spool")],
            new Dictionary<string, string?> { ["POLARIS_AGENT_TOKEN_FILE"] = token, ["POLARIS_AGENT_STATUS_SOCKET"] = dir.Combine("s.sock") });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("tokenFile", result.StderrText, StringComparison.Ordinal);
        Assert.Contains("chmod 600", result.StderrText, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", result.StderrText + result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void Https_with_the_facility_s_CA_file_delivers_and_an_unknown_CA_does_not()
    {
        using var dir = new TempDirectory("polaris-e2e");
        var pki = FacilityCertificates.Create(dir.Combine("pki"));
        var tls = new Dictionary<string, string>
        {
            ["POLARIS_COLLECTOR_TLS_CERTIFICATE"] = pki.ServerCertificate,
            ["POLARIS_COLLECTOR_TLS_KEY"] = pki.ServerKey,
        };
        using var collector = CollectorProcess.StartOn(new Uri("https://127.0.0.1:0"), dir.Combine("collector"), tls);
        Assert.Equal("https", collector.Url.Scheme);
        Directory.CreateDirectory(dir.Combine("a"));
        Directory.CreateDirectory(dir.Combine("b"));
        int pid;
        using (var untrusting = AgentDaemon.Start(dir.Combine("a"), collector.Url))
        {
            // Debian's CA bundle does not know the facility's CA: the certificate is refused and the batch kept.
            pid = untrusting.Run([RepoPaths.Python, "-c", Workload]).Pid;
            untrusting.Process.WaitUntil(() => untrusting.Process.Output.Contains("Delivering batch", StringComparison.Ordinal), "a refused delivery");
            untrusting.Process.Terminate();
        }
        Assert.Empty(collector.StoredPids());
        // The same drop folder, now with the CA file: the kept record goes through.
        Directory.Move(dir.Combine("a", "incoming"), dir.Combine("b", "incoming"));
        Directory.Move(dir.Combine("a", "spool"), dir.Combine("b", "spool"));

        using var trusting = AgentDaemon.Start(dir.Combine("b"), collector.Url, new JsonObject { ["caFile"] = pki.AuthorityCertificate });

        collector.WaitForProcess(pid);
        Assert.Equal(1, collector.Metric("polaris_python_processes_total"));
    }
}
