using Polaris.Agent.Cli;
using Polaris.Agent.Serve;

namespace Polaris.Agent.Tests;

/// <summary><c>serve</c> refuses a <c>POLARIS_AGENT_*</c> variable that is no setting, as it refuses such a key in the file.</summary>
public class SettingVariablesTests
{
    [Theory]
    [InlineData("POLARIS_AGENT_SPOOL_MAX_BYTE", "POLARIS_AGENT_SPOOL_MAX_BYTES", "spoolMaxBytes")]
    [InlineData("POLARIS_AGENT_COLLECTORS", "POLARIS_AGENT_COLLECTOR", "collector")]
    [InlineData("POLARIS_AGENT_STATUSSOCKET", "POLARIS_AGENT_STATUS_SOCKET", "statusSocket")]
    public void A_misspelt_variable_is_refused_naming_the_nearest_setting(string variable, string meant, string setting)
    {
        var error = Assert.Throws<UsageException>(() => AgentOptions.Load([], new Dictionary<string, string> { [variable] = "1" }));

        Assert.Contains($"{variable} ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{meant} (setting '{setting}')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_variables_that_are_no_settings_but_known_are_accepted()
    {
        var options = AgentOptions.Load([], new Dictionary<string, string>
        {
            ["POLARIS_AGENT_DROP"] = "/tmp/drop", // the hook's, and the drop setting's
            ["POLARIS_AGENT_DISABLE"] = "1",
            ["POLARIS_AGENT_SPOOL_MAX_BYTES"] = "1000000",
            ["PYTHONPATH"] = "/x", // other prefixes are none of ours
        });

        Assert.Equal("/tmp/drop", options.Drop);
        Assert.Equal(1_000_000, options.SpoolMaxBytes);
    }

    [Fact]
    public void Set_on_the_command_line_wins_over_the_variable()
    {
        var options = AgentOptions.Load(["--set", "spoolMaxBytes=1000000", "--set", "liveAfterMs=0"],
            new Dictionary<string, string> { ["POLARIS_AGENT_SPOOL_MAX_BYTES"] = "2000000" });

        Assert.Equal(1_000_000, options.SpoolMaxBytes);
        Assert.Equal(TimeSpan.Zero, options.LiveAfter);
    }

    [Theory]
    [InlineData("spoolMaxByte=1", "option --set spoolMaxByte is not a known setting")]
    [InlineData("spoolMaxBytes", "option --set takes KEY=VALUE, not 'spoolMaxBytes'")]
    [InlineData("spoolMaxBytes=12", "setting 'spoolMaxBytes' must be between 65536")]
    public void A_wrong_set_is_refused_naming_the_key(string assignment, string message)
    {
        var error = Assert.Throws<UsageException>(() => AgentOptions.Load(["--set", assignment], new Dictionary<string, string>()));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
