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
        File.WriteAllText(config, """{ "drop": "/from/file/incoming", "spool": "/from/file", "summaryQuietMs": 250 }""");

        var options = AgentOptions.Load(["--config", config, "--drop", "/from/cli"], new Dictionary<string, string>());

        Assert.Equal("/from/cli", options.Drop);
        Assert.Equal("/from/file", options.Spool);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.SummaryQuiet);
    }

    [Fact]
    public void Environment_variables_win_over_the_config_file_and_lose_to_the_command_line()
    {
        using var dir = new TempDirectory();
        var config = dir.Combine("agent.json");
        File.WriteAllText(config, """{ "spool": "/from/file", "spoolMaxBytes": 1048576, "collector": "http://file:8470/" }""");
        var environment = new Dictionary<string, string>
        {
            ["POLARIS_AGENT_CONFIG"] = config,
            ["POLARIS_AGENT_SPOOL_MAX_BYTES"] = "2097152",
            ["POLARIS_AGENT_COLLECTOR"] = "https://c1.example:8470, https://c2.example:8470",
            ["POLARIS_AGENT_PROJECT_ROOTS"] = "/lus/eagle/projects:/lus/grand/projects",
            ["POLARIS_AGENT_SPOOL"] = "/from/environment",
            ["POLARIS_AGENT_DISABLE"] = "1", // the hook's, not a setting: left alone
        };

        var options = AgentOptions.Load(["--spool", "/from/cli"], environment);

        Assert.Equal("/from/cli", options.Spool);
        Assert.Equal(2_097_152, options.SpoolMaxBytes);
        Assert.Equal(["https://c1.example:8470/", "https://c2.example:8470/"], options.Collectors.Select(c => c.ToString()));
        Assert.Equal(["/lus/eagle/projects", "/lus/grand/projects"], options.ProjectRoots);
    }

    [Theory]
    [InlineData("POLARIS_AGENT_SPOOL_MAX_BYTES", "lots")]
    [InlineData("POLARIS_AGENT_SUMMARY_QUIET_MS", "0")]
    [InlineData("POLARIS_AGENT_COLLECTOR", "ftp://x/")]
    [InlineData("POLARIS_AGENT_HOME_ROOTS", "home")]
    public void A_bad_environment_variable_stops_start_up_naming_it(string variable, string value)
    {
        var e = Assert.Throws<UsageException>(() => AgentOptions.Load([], new Dictionary<string, string> { [variable] = value }));

        Assert.True(e.Message.Contains(variable, StringComparison.Ordinal) || e.Message.Contains("summaryQuietMs", StringComparison.Ordinal), e.Message);
    }

    [Fact]
    public void Several_collectors_may_be_given_on_the_command_line_in_the_order_to_try_them()
    {
        var options = AgentOptions.Load(["--collector", "http://a:1/", "--collector", "http://b:2"], new Dictionary<string, string>());

        Assert.Equal(["http://a:1/", "http://b:2/"], options.Collectors.Select(c => c.ToString()));
    }

    [Theory]
    [InlineData("""{ "dorp": "/x" }""", "dorp")]
    [InlineData("""{ "summaryQuietMs": "soon" }""", "summaryQuietMs")]
    [InlineData("""{ "summaryQuietMs": 0 }""", "summaryQuietMs")]
    [InlineData("""{ "summaryWindowMs": 10, "summaryQuietMs": 100 }""", "summaryWindowMs")]
    [InlineData("""{ "liveAfterMs": -1 }""", "liveAfterMs")]
    [InlineData("""{ "liveAfterMs": 60001 }""", "liveAfterMs")]
    [InlineData("""{ "collector": "ftp://host/" }""", "collector")]
    [InlineData("""{ "collector": [] }""", "collector")]
    [InlineData("""{ "maxBatchSummaries": -5 }""", "maxBatchSummaries")]
    [InlineData("""{ "caFile": "/nonexistent/ca.pem" }""", "caFile")]
    [InlineData("""{ "tokenFile": "/nonexistent/token" }""", "tokenFile")]
    [InlineData("""{ "statusSocket": "relative.sock" }""", "statusSocket")]
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

        var e = Assert.Throws<UsageException>(() => AgentOptions.Load(["--config", config], new Dictionary<string, string>()));

        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Live_reads_start_after_10_s_by_default_and_0_turns_them_off()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), AgentOptions.Load([], new Dictionary<string, string>()).LiveAfter);

        var off = AgentOptions.Load([], new Dictionary<string, string> { ["POLARIS_AGENT_LIVE_AFTER_MS"] = "0" });

        Assert.Equal(TimeSpan.Zero, off.LiveAfter);
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
