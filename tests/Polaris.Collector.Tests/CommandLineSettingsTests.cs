using System.Net;
using Polaris.Testing;

namespace Polaris.Collector.Tests;

/// <summary>The real collector started from collector.json laid out as the agent's file, and the order in which the
/// file, the variables and the command line win.</summary>
public sealed class CommandLineSettingsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Config(string json)
    {
        var path = _dir.Combine("collector.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public async Task A_flat_file_s_data_and_max_batch_bytes_are_honoured()
    {
        var data = _dir.Combine("from-file");
        var config = Config($$"""{ "urls": "http://127.0.0.1:0", "data": "{{data}}", "maxBatchBytes": 2048 }""");
        using var collector = CollectorProcess.StartWith(["serve", "--config", config]);

        using var small = await collector.Http.PostAsync("v1/batches", new ByteArrayContent(new byte[1024]));
        using var large = await collector.Http.PostAsync("v1/batches", new ByteArrayContent(new byte[4096]));

        Assert.Equal(HttpStatusCode.BadRequest, small.StatusCode); // read, and not a batch
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.True(File.Exists(Path.Combine(data, "polaris.db")), collector.Process.Output);
    }

    [Fact]
    public void The_command_line_wins_over_the_variables_which_win_over_the_file()
    {
        var config = Config($$"""{ "urls": "http://127.0.0.1:0", "data": "{{_dir.Combine("file")}}" }""");
        var variables = new Dictionary<string, string> { ["POLARIS_COLLECTOR_CONFIG"] = config, ["POLARIS_COLLECTOR_DATA"] = _dir.Combine("variable") };

        using (var byFile = CollectorProcess.StartWith(["serve"], new Dictionary<string, string> { ["POLARIS_COLLECTOR_CONFIG"] = config }))
        {
            Assert.Contains($"storing in {_dir.Combine("file")};", byFile.Process.Output, StringComparison.Ordinal);
        }
        using (var byVariable = CollectorProcess.StartWith(["serve"], variables))
        {
            Assert.Contains($"storing in {_dir.Combine("variable")};", byVariable.Process.Output, StringComparison.Ordinal);
        }
        using var byOption = CollectorProcess.StartWith(["serve", "--data", _dir.Combine("option")], variables);

        Assert.Contains($"storing in {_dir.Combine("option")};", byOption.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_command_the_collector_serves()
    {
        using var collector = CollectorProcess.StartWith(["--urls", "http://127.0.0.1:0", "--data", _dir.Combine("data")]);

        Assert.Equal("ok\n", await collector.Http.GetStringAsync("healthz"));
    }

    [Fact]
    public void ASP_NET_s_own_configuration_does_not_reach_the_collector()
    {
        // Kestrel would listen where its Endpoints section says, over --urls, were ASP.NET's variables read.
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var elsewhere = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        taken.Stop();

        using var collector = CollectorProcess.StartWith(["serve", "--urls", "http://127.0.0.1:0", "--data", _dir.Combine("data")],
            new Dictionary<string, string> { ["Kestrel__Endpoints__Other__Url"] = elsewhere, ["ASPNETCORE_URLS"] = elsewhere });

        Assert.NotEqual(new Uri(elsewhere + "/"), collector.Url);
        Assert.DoesNotContain(elsewhere, collector.Process.Output, StringComparison.Ordinal);
    }
}
