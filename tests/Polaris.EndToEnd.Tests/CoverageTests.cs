using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>The two ways to enable the hook beyond <c>run</c>: shell lines from <c>env</c>, and a .pth file from <c>install-hook</c>.</summary>
public class CoverageTests
{
    [Fact]
    public void The_lines_env_prints_enable_the_hook_in_a_job_script()
    {
        using var node = new NodeUnderTest();

        var result = CommandResult.Run("/bin/sh", ["-c", $"eval \"$('{AgentBinary.FilePath}' env --drop '{node.Daemon.Drop}')\"; {RepoPaths.Python} -c 'import yaml'"],
            new Dictionary<string, string?> { ["PYTHONPATH"] = "/opt/site/lib" });

        Assert.True(result.ExitCode == 0, result.StderrText);
        var record = Assert.Single(node.Collector.WaitForProcesses(1));
        Assert.Contains("yaml", record.Libraries());
        Assert.Equal("/opt/site/lib", record.Variable("PYTHONPATH").Split(':')[^1]);
    }

    [Theory]
    [InlineData("-I")]
    [InlineData("-E")]
    public void A_hook_installed_into_an_isolated_venv_records_python_run_with(string flag)
    {
        using var node = new NodeUnderTest();
        var venv = Path.Combine(node.Folder, "venv");
        Assert.Equal(0, CommandResult.Run(RepoPaths.Python, ["-m", "venv", "--without-pip", venv]).ExitCode);
        var install = CommandResult.Run(AgentBinary.FilePath, TestHookRegistry.Args("install-hook", "--prefix", venv));
        Assert.True(install.ExitCode == 0, install.StderrText);

        var result = CommandResult.Run(Path.Combine(venv, "bin", "python"), [flag, "-c", "import json, sys; print(sys.flags.isolated, sys.flags.ignore_environment)"],
            new Dictionary<string, string?> { ["POLARIS_AGENT_DROP"] = node.Daemon.Drop, ["PYTHONPATH"] = null });

        Assert.Equal(0, result.ExitCode);
        var record = Assert.Single(node.Collector.WaitForProcesses(1));
        Assert.Equal(venv, record.GetProperty("env").GetProperty("prefix").GetString());
        Assert.Contains("json", record.ModuleNames());
        Assert.DoesNotContain("_polaris_hook", record.ModuleNames());
    }

    [Fact]
    public void Uninstalling_the_hook_removes_both_files()
    {
        using var dir = new TempDirectory();
        var venv = dir.Combine("venv");
        Assert.Equal(0, CommandResult.Run(RepoPaths.Python, ["-m", "venv", "--without-pip", venv]).ExitCode);

        Assert.Equal(0, CommandResult.Run(AgentBinary.FilePath, TestHookRegistry.Args("install-hook", "--prefix", venv)).ExitCode);
        var site = Directory.GetDirectories(Path.Combine(venv, "lib"), "python3*").Single() + "/site-packages";
        Assert.True(File.Exists(Path.Combine(site, "00-polaris-agent.pth")));
        Assert.Equal(0, CommandResult.Run(AgentBinary.FilePath, TestHookRegistry.Args("install-hook", "--prefix", venv, "--uninstall")).ExitCode);

        Assert.False(File.Exists(Path.Combine(site, "00-polaris-agent.pth")));
        Assert.False(File.Exists(Path.Combine(site, "_polaris_hook.py")));
    }

    [Fact]
    public void Install_hook_refuses_a_folder_that_is_not_an_environment()
    {
        using var dir = new TempDirectory();

        var result = CommandResult.Run(AgentBinary.FilePath, TestHookRegistry.Args("install-hook", "--prefix", dir.Path));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("site-packages", result.StderrText, StringComparison.Ordinal);
    }
}
