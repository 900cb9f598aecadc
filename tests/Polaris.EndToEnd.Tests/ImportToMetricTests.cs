using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>The walking skeleton: one Python import travels from a compute node to a Prometheus metric.</summary>
public class ImportToMetricTests
{
    [Fact]
    public void Importing_numpy_through_the_agent_counts_numpy_exactly_once_in_metrics()
    {
        using var node = new NodeUnderTest();

        var result = node.Daemon.Run([RepoPaths.Python, "-c", "import numpy, json"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Empty(result.Stderr);
        node.Collector.WaitForMetric("polaris_python_processes_total", 1);
        var metrics = node.Collector.Metrics();
        Assert.Equal(1, MetricsText.Value(metrics, "polaris_python_processes_total"));
        Assert.Equal(1, MetricsText.Value(metrics, "polaris_library_processes_total{library=\"numpy\"}"));
        // json is standard library: a library count, not a stdlib count.
        Assert.Null(MetricsText.Value(metrics, "polaris_library_processes_total{library=\"json\"}"));
        Assert.Equal(1, MetricsText.Value(metrics, "polaris_collector_batches_total{result=\"stored\"}"));
    }

    [Fact]
    public void A_library_only_a_pth_file_loaded_at_start_up_is_counted_apart_from_the_programs_imports()
    {
        using var node = new NodeUnderTest();

        // Debian's python3-setuptools has distutils-precedence.pth load _distutils_hack into every process.
        Assert.Equal(0, node.Daemon.Run([RepoPaths.Python, "-c", "import yaml"]).ExitCode);

        node.Collector.WaitForMetric("polaris_python_processes_total", 1);
        var metrics = node.Collector.Metrics();
        Assert.Equal(1, MetricsText.Value(metrics, "polaris_library_processes_total{library=\"yaml\"}"));
        Assert.Equal(1, MetricsText.Value(metrics, "polaris_library_startup_processes_total{library=\"_distutils_hack\"}"));
        Assert.Null(MetricsText.Value(metrics, "polaris_library_processes_total{library=\"_distutils_hack\"}"));
    }

    [Fact]
    public void Several_processes_and_a_child_python_are_each_counted()
    {
        using var node = new NodeUnderTest();

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0, node.Daemon.Run([RepoPaths.Python, "-c", "import numpy"]).ExitCode);
        }
        // A Python started by a Python inherits the hook through PYTHONPATH.
        var parent = node.Daemon.Run([RepoPaths.Python, "-c", $"import subprocess; subprocess.run(['{RepoPaths.Python}', '-c', 'import yaml'], check=True)"]);

        Assert.Equal(0, parent.ExitCode);
        node.Collector.WaitForMetric("polaris_python_processes_total", 5);
        Assert.Equal(3, node.Collector.Metric("polaris_library_processes_total{library=\"numpy\"}"));
        Assert.Equal(1, node.Collector.Metric("polaris_library_processes_total{library=\"yaml\"}"));
    }

    [Fact]
    public void An_extension_module_registered_under_an_alias_counts_as_its_package_only()
    {
        using var node = new NodeUnderTest();

        Assert.Equal(0, node.Daemon.Run([RepoPaths.Python, "-c", "import scipy.optimize, sys; assert sys.modules['_moduleTNC'].__name__ == 'scipy.optimize._moduleTNC'"]).ExitCode);

        node.Collector.WaitForMetric("polaris_python_processes_total", 1);
        Assert.Equal(1, node.Collector.Metric("polaris_library_processes_total{library=\"scipy\"}"));
        Assert.Null(node.Collector.Metric("polaris_library_processes_total{library=\"_moduleTNC\"}"));
    }

    [Fact]
    public void The_agent_leaves_no_process_behind_and_reports_a_missing_command_like_a_shell()
    {
        var missing = CommandResult.Run(AgentBinary.FilePath, ["run", "--", "/nonexistent/python"]);

        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("/nonexistent/python", missing.StderrText, StringComparison.Ordinal);
        // exec, not fork: the command's pid is the agent's.
        var shell = CommandResult.Run(AgentBinary.FilePath, ["run", "--", "/bin/sh", "-c", "echo $$; exit 7"]);
        Assert.Equal(7, shell.ExitCode);
        Assert.Equal(shell.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), shell.StdoutText.Trim());
    }
}
