using Polaris.Agent.Cli;
using Polaris.Agent.Serve;
using Polaris.Testing;

namespace Polaris.Agent.Tests;

public class AgentOptionsTests
{
    [Fact]
    public void The_command_line_wins_over_the_config_file()
    {
        using var dir = new TempDirectory();
        var config = dir.Combine("agent.json");
        File.WriteAllText(config, """{ "drop": "/from/file/incoming", "spool": "/from/file", "batchWindowMs": 250 }""");

        var options = AgentOptions.Load(["--config", config, "--drop", "/from/cli"]);

        Assert.Equal("/from/cli", options.Drop);
        Assert.Equal("/from/file", options.Spool);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.BatchWindow);
    }

    [Theory]
    [InlineData("""{ "dorp": "/x" }""", "dorp")]
    [InlineData("""{ "batchWindowMs": "soon" }""", "batchWindowMs")]
    [InlineData("""{ "batchWindowMs": 0 }""", "batchWindowMs")]
    [InlineData("""{ "collector": "ftp://host/" }""", "collector")]
    [InlineData("""{ "maxBatchRecords": -5 }""", "maxBatchRecords")]
    [InlineData("""{ "userRecordsPerSecond": 0 }""", "userRecordsPerSecond")]
    [InlineData("""{ "userRecordBurst": -1 }""", "userRecordBurst")]
    [InlineData("""{ "spoolMaxBytes": 1000 }""", "spoolMaxBytes")]
    [InlineData("""{ "spoolMaxBytes": "1G" }""", "spoolMaxBytes")]
    [InlineData("""{ "spoolMaxAgeHours": 0 }""", "spoolMaxAgeHours")]
    [InlineData("""{ "spoolMinFreeBytes": -1 }""", "spoolMinFreeBytes")]
    [InlineData("""[1, 2]""", "one JSON object")]
    public void A_bad_setting_stops_start_up_with_a_message_naming_it(string json, string named)
    {
        using var dir = new TempDirectory();
        var config = dir.Combine("agent.json");
        File.WriteAllText(config, json);

        var e = Assert.Throws<UsageException>(() => AgentOptions.Load(["--config", config]));

        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_option_is_refused()
    {
        var e = Assert.Throws<UsageException>(() => AgentOptions.Load(["--colector", "http://x/"]));

        Assert.Contains("--colector", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_config_file_is_named()
    {
        var e = Assert.Throws<UsageException>(() => AgentOptions.Load(["--config", "/nonexistent/agent.json"]));

        Assert.Contains("/nonexistent/agent.json", e.Message, StringComparison.Ordinal);
    }
}
