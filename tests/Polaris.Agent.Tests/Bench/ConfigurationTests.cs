using Polaris.Agent.Bench;
using Polaris.Agent.Cli;

namespace Polaris.Agent.Tests.Bench;

public class ConfigurationTests
{
    [Fact]
    public void A_configuration_is_a_name_and_blank_separated_assignments_whose_values_may_hold_equals_signs()
    {
        var configuration = Configuration.Parse("xalt=LD_PRELOAD=/opt/xalt/lib64/libxalt_init.so  XALT_EXECUTABLE_TRACKING=yes OPTS=a=b");

        Assert.Equal("xalt", configuration.Name);
        Assert.Equal(3, configuration.Assignments.Count);
        Assert.Equal("/opt/xalt/lib64/libxalt_init.so", configuration.Assignments["LD_PRELOAD"]);
        Assert.Equal("yes", configuration.Assignments["XALT_EXECUTABLE_TRACKING"]);
        Assert.Equal("a=b", configuration.Assignments["OPTS"]);
    }

    [Fact]
    public void An_empty_value_is_an_assignment_too()
    {
        Assert.Equal("", Configuration.Parse("nopath=PYTHONPATH=").Assignments["PYTHONPATH"]);
    }

    [Theory]
    [InlineData("xalt")]
    [InlineData("=X=1")]
    [InlineData("xalt=")]
    [InlineData("xalt=LD_PRELOAD")]
    [InlineData("xalt==1")]
    [InlineData("x alt=X=1")]
    public void A_malformed_configuration_is_a_usage_error(string text)
    {
        Assert.Throws<UsageException>(() => Configuration.Parse(text));
    }

    [Fact]
    public void Assignments_are_laid_over_the_bare_environment_which_stays_as_it_was()
    {
        var bare = new Dictionary<string, string> { ["PATH"] = "/usr/bin", ["PYTHONPATH"] = "/home/a/lib" };

        var environment = Configuration.Parse("x=PYTHONPATH=/opt/x LD_PRELOAD=/opt/x.so").EnvironmentOver(bare);

        Assert.Equal("/usr/bin", environment["PATH"]);
        Assert.Equal("/opt/x", environment["PYTHONPATH"]);
        Assert.Equal("/opt/x.so", environment["LD_PRELOAD"]);
        Assert.Equal("/home/a/lib", bare["PYTHONPATH"]);
        Assert.Equal(bare, Configuration.Bare.EnvironmentOver(bare));
    }

    [Fact]
    public void A_configuration_made_from_a_whole_environment_keeps_only_what_differs_from_bare()
    {
        var bare = new Dictionary<string, string> { ["PATH"] = "/usr/bin", ["PYTHONPATH"] = "/home/a/lib" };
        var hooked = new Dictionary<string, string> { ["PATH"] = "/usr/bin", ["PYTHONPATH"] = "/hook:/home/a/lib", ["POLARIS_AGENT_SOCKET"] = "/tmp/a.sock" };

        var configuration = Configuration.Differing("agent", bare, hooked);

        Assert.Equal(["POLARIS_AGENT_SOCKET", "PYTHONPATH"], configuration.Assignments.Keys);
        Assert.Equal(hooked, configuration.EnvironmentOver(bare));
    }
}
