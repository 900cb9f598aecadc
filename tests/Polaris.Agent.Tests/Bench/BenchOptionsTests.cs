using Polaris.Agent.Bench;
using Polaris.Agent.Cli;

namespace Polaris.Agent.Tests.Bench;

public class BenchOptionsTests
{
    [Fact]
    public void Without_arguments_the_poster_s_measurement_runs_with_the_documented_defaults()
    {
        var options = BenchOptions.Parse([]);

        Assert.Equal("/usr/bin/python3", options.Python);
        Assert.Equal(20, options.Runs);
        Assert.Equal(2, options.Warmup);
        Assert.Null(options.Json);
        Assert.True(options.Agent);
        Assert.Equal(["one", "many"], options.Workloads);
        Assert.Empty(options.Commands);
        Assert.Empty(options.Configurations);
    }

    [Fact]
    public void Every_option_is_read_and_repeated_ones_accumulate_in_order()
    {
        var options = BenchOptions.Parse([
            "--python", "/opt/py/bin/python", "--runs", "5", "--warmup=0", "--json", "out.json", "--no-agent",
            "--workload", "many", "--workload", "one", "--command", "true", "--command", "sleep 0",
            "--config", "xalt=LD_PRELOAD=/opt/xalt/lib64/libxalt_init.so PYTHONPATH=/opt/xalt/site_packages", "--config", "b=X=1",
        ]);

        Assert.Equal("/opt/py/bin/python", options.Python);
        Assert.Equal(5, options.Runs);
        Assert.Equal(0, options.Warmup);
        Assert.Equal("out.json", options.Json);
        Assert.False(options.Agent);
        Assert.Equal(["many", "one"], options.Workloads);
        Assert.Equal(["true", "sleep 0"], options.Commands);
        Assert.Equal(["xalt", "b"], options.Configurations.Select(c => c.Name));
        Assert.Equal("/opt/xalt/site_packages", options.Configurations[0].Assignments["PYTHONPATH"]);
    }

    [Fact]
    public void A_command_alone_replaces_the_default_workloads()
    {
        var options = BenchOptions.Parse(["--command", "exit 3"]);

        Assert.Empty(options.Workloads);
        Assert.Equal(["exit 3"], options.Commands);
    }

    [Fact]
    public void A_workload_named_twice_runs_once()
    {
        Assert.Equal(["one"], BenchOptions.Parse(["--workload", "one", "--workload", "one"]).Workloads);
    }

    [Theory]
    [InlineData("--runs", "0")]
    [InlineData("--runs", "-1")]
    [InlineData("--runs", "many")]
    [InlineData("--warmup", "-1")]
    [InlineData("--workload", "three")]
    [InlineData("--config", "bare=X=1")]
    [InlineData("--config", "agent=X=1")]
    [InlineData("--colour", "red")]
    public void A_bad_option_is_a_usage_error_that_names_it(string option, string value)
    {
        var error = Assert.Throws<UsageException>(() => BenchOptions.Parse([option, value]));

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_configurations_may_not_share_a_name()
    {
        Assert.Throws<UsageException>(() => BenchOptions.Parse(["--config", "x=A=1", "--config", "x=B=2"]));
    }

    [Fact]
    public void Without_the_agent_its_name_is_free_for_another_configuration()
    {
        Assert.Equal("agent", BenchOptions.Parse(["--no-agent", "--config", "agent=X=1"]).Configurations[0].Name);
    }

    [Fact]
    public void Bench_takes_no_operands()
    {
        Assert.Throws<UsageException>(() => BenchOptions.Parse(["--runs", "3", "python3"]));
    }
}
