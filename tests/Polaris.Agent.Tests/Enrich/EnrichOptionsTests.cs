using Polaris.Agent.Cli;
using Polaris.Agent.Serve;
using Polaris.Agent.Serve.Enrich;
using Polaris.Testing;

namespace Polaris.Agent.Tests.Enrich;

public class EnrichOptionsTests
{
    [Fact]
    public void Path_roots_come_from_the_config_file()
    {
        using var dir = new TempDirectory();
        var config = dir.Combine("agent.json");
        File.WriteAllText(config, """
            {
              "baseEnvironments": ["/soft/datascience/conda/2024-04-29", "/soft/datascience/conda/2023-10-04"],
              "projectRoots": ["/lus/eagle/projects", "/lus/grand/projects"],
              "homeRoots": [],
              "queueCapacity": 500
            }
            """);

        var options = AgentOptions.Load(["--config", config]);
        var enrich = EnrichOptions.From(options, "/opt/polaris-agent/hook");

        Assert.Equal(["/soft/datascience/conda/2024-04-29", "/soft/datascience/conda/2023-10-04"], enrich.BaseEnvironments);
        Assert.Equal(["/lus/eagle/projects", "/lus/grand/projects"], enrich.ProjectRoots);
        Assert.Empty(enrich.HomeRoots);
        Assert.Equal(EnrichOptions.DefaultSystemPrefixes, enrich.SystemPrefixes);
        Assert.Equal("/opt/polaris-agent/hook", enrich.HookDirectory);
        Assert.Equal(500, options.QueueCapacity);
    }

    [Fact]
    public void Path_roots_have_defaults()
    {
        var options = new AgentOptions();

        Assert.Empty(options.BaseEnvironments);
        Assert.Equal(["/home"], options.HomeRoots);
        Assert.Equal(["/lus", "/eagle", "/grand", "/projects"], options.ProjectRoots);
        Assert.Contains("/opt/cray", options.SystemPrefixes);
    }

    [Theory]
    [InlineData("""{ "baseEnvironments": "/soft/conda" }""", "baseEnvironments")]
    [InlineData("""{ "baseEnvironments": ["soft/conda"] }""", "baseEnvironments")]
    [InlineData("""{ "homeRoots": [42] }""", "homeRoots")]
    [InlineData("""{ "projectRoots": ["/lus", ""] }""", "projectRoots")]
    [InlineData("""{ "systemPrefixes": [null] }""", "systemPrefixes")]
    [InlineData("""{ "projectroots": ["/lus"] }""", "projectroots")]
    public void A_bad_path_setting_stops_start_up_with_a_message_naming_it(string json, string named)
    {
        using var dir = new TempDirectory();
        var config = dir.Combine("agent.json");
        File.WriteAllText(config, json);

        var e = Assert.Throws<UsageException>(() => AgentOptions.Load(["--config", config]));

        Assert.Contains($"'{named}'", e.Message, StringComparison.Ordinal);
    }
}
