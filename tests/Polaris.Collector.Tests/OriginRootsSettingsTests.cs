using Polaris.Collector.Cli;
using Polaris.Collector.Settings;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests;

/// <summary>The roots that decide a path's origin: the agent's keys and defaults, read and checked as the collector's
/// other lists are, and made into the rules the agent classifies by.</summary>
public sealed class OriginRootsSettingsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // Always with a config file, so that an /etc/polaris-collector/collector.json on the test machine changes nothing.
    private CollectorOptions Load(string json = "{}", Dictionary<string, string>? environment = null)
    {
        var path = _dir.Combine($"collector-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return CollectorOptions.Load(["--config", path], environment ?? []);
    }

    [Fact]
    public void The_defaults_are_the_agent_s()
    {
        var options = Load();

        Assert.Empty(options.BaseEnvironments);
        Assert.Equal(OriginRoots.DefaultHomeRoots, options.HomeRoots);
        Assert.Equal(OriginRoots.DefaultProjectRoots, options.ProjectRoots);
        Assert.Equal(OriginRoots.DefaultSystemPrefixes, options.SystemPrefixes);
        Assert.Equal(["/lus", "/eagle", "/grand", "/projects"], options.ProjectRoots);
        Assert.Equal("/usr, /lib, /lib64, /bin, /sbin, /etc, /opt/cray, /opt/nvidia", CollectorSettings.All.Single(s => s.Name == "systemPrefixes").Default);
    }

    [Fact]
    public void The_file_gives_arrays_and_a_variable_colon_separated_paths_as_the_agent_s()
    {
        var options = Load(
            """{ "projectRoots": ["/lus/eagle/projects", "/lus/grand/projects"], "baseEnvironments": ["/soft/datascience/conda/2024-04-29/mconda3"] }""",
            new() { ["POLARIS_COLLECTOR_HOME_ROOTS"] = "/home:/lus/eagle/home", ["POLARIS_COLLECTOR_SYSTEM_PREFIXES"] = "/usr" });

        Assert.Equal(["/lus/eagle/projects", "/lus/grand/projects"], options.ProjectRoots);
        Assert.Equal(["/soft/datascience/conda/2024-04-29/mconda3"], options.BaseEnvironments);
        Assert.Equal(["/home", "/lus/eagle/home"], options.HomeRoots);
        Assert.Equal(["/usr"], options.SystemPrefixes);
    }

    [Theory]
    [InlineData("""{ "homeRoots": ["home"] }""", "setting 'homeRoots' holds 'home', not an absolute path")]
    [InlineData("""{ "projectRoots": ["/lus", ""] }""", "setting 'projectRoots' holds '', not an absolute path")]
    [InlineData("""{ "baseEnvironments": ["~/miniconda3"] }""", "setting 'baseEnvironments' holds '~/miniconda3', not an absolute path")]
    [InlineData("""{ "systemPrefixes": "/usr" }""", "setting 'systemPrefixes' must be an array of strings")]
    public void A_root_that_is_no_absolute_path_is_refused_in_one_line_naming_the_setting(string json, string message)
    {
        var e = Assert.Throws<UsageException>(() => Load(json));

        Assert.EndsWith(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void The_options_give_the_rules_of_their_roots()
    {
        var rules = Load("""{ "projectRoots": ["/lus/eagle/projects"], "baseEnvironments": ["/soft/datascience/conda/2024-04-29/mconda3"] }""").OriginRules();

        Assert.Equal(Origin.UserSite, rules.Classify("/home/asmith/.local/lib/python3.11/site-packages/mdtools/__init__.py"));
        Assert.Equal(Origin.Venv, rules.Classify("/lus/eagle/projects/P/venv/lib/python3.11/site-packages/climkit/__init__.py"));
        Assert.Equal(Origin.Other, rules.Classify("/lus/flare/x.py"));
        Assert.Equal(Origin.BaseEnv, rules.Classify("/soft/datascience/conda/2024-04-29/mconda3/lib/python3.11/site-packages/numpy/__init__.py"));
    }
}
