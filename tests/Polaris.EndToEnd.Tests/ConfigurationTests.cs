using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>The real AOT daemon refuses a bad config file at start-up with a message a person can act on.</summary>
public class ConfigurationTests
{
    private static CommandResult Serve(TempDirectory dir, string config) =>
        CommandResult.Run(AgentBinary.FilePath, ["serve", "--drop", dir.Combine("incoming"), "--spool", dir.Combine("spool"), "--config", config],
            new Dictionary<string, string?> { ["POLARIS_AGENT_STATUS_SOCKET"] = dir.Combine("s.sock") });

    [Fact]
    public void A_missing_config_file_stops_start_up_in_words_not_resource_keys()
    {
        using var dir = new TempDirectory("polaris-e2e");

        var result = Serve(dir, dir.Combine("agent.json"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"config file {dir.Combine("agent.json")}: Could not find file", result.StderrText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_setting_in_the_config_file_stops_start_up_naming_it()
    {
        using var dir = new TempDirectory("polaris-e2e");
        File.WriteAllText(dir.Combine("agent.json"), """{ "summaryQuietMs": 100, "spoolMaxBytes": "plenty" }""");

        var result = Serve(dir, dir.Combine("agent.json"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("spoolMaxBytes", result.StderrText, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("spool")), "the daemon went on to create its spool");
    }
}
