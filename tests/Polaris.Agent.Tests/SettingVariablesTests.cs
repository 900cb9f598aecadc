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
}
