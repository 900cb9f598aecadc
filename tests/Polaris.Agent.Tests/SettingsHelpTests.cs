using Polaris.Agent.Cli;
using Polaris.Agent.Serve;
using Polaris.Agent.Serve.Settings;

namespace Polaris.Agent.Tests;

/// <summary><c>serve --help</c> lists every setting with the default the daemon really has.</summary>
public class SettingsHelpTests
{
    [Fact]
    public void Every_setting_is_in_serve_help_with_its_variable_rule()
    {
        var help = CommandUsage.Of("serve")!;

        Assert.All(AgentSettings.All, s => Assert.Contains($"\n  {s.Name,-24}{s.Default}\n", help, StringComparison.Ordinal));
        Assert.Contains(AgentSettings.VariableOf("spoolMaxBytes"), help, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_number_or_path_help_gives_as_the_default_is_the_default()
    {
        var defaults = new AgentOptions();
        // "268435456 (256 MiB)": the value is the first word; "none" says what an empty value means, and lists are read by reference, so only collector is checked apart.
        foreach (var setting in AgentSettings.All.Where(s => (char.IsAsciiDigit(s.Default[0]) || s.Default[0] == '/') && !s.Meaning.Contains("(a variable:", StringComparison.Ordinal)))
        {
            var value = SettingValue.FromText("help", setting.Default.Split(' ')[0]);

            var read = AgentSettings.Apply(defaults, setting.Name, value);

            Assert.True(read == defaults, $"{setting.Name}: help says {setting.Default}");
        }
    }

    [Fact]
    public void The_collector_default_help_gives_is_the_default()
    {
        var help = AgentSettings.All.Single(s => s.Name == "collector").Default;

        Assert.Equal([new Uri(help)], new AgentOptions().Collectors);
    }

    [Fact]
    public void Every_setting_is_in_the_operator_s_guide_with_its_variable()
    {
        var guide = File.ReadAllText(Path.Combine(Polaris.Testing.RepoPaths.Root, "docs", "operations.md"));

        Assert.All(AgentSettings.All, s => Assert.Contains($"| `{s.Name}` | `{AgentSettings.VariableOf(s.Name)}` | ", guide, StringComparison.Ordinal));
    }
}
