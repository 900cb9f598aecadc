using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary><c>install-hook</c> run by root, as an admin runs it on request and as the package's upgrade runs
/// <c>--refresh</c>: another user must not be able to make root write where they choose or run what they choose.</summary>
public class HookInstallAsRootTests
{
    private static CommandResult Agent(string registry, params string[] args) =>
        CommandResult.Run(AgentBinary.FilePath, [.. args, "--registry", registry]);

    [Fact]
    public void Install_as_root_refuses_an_environment_another_user_owns_and_runs_nothing_of_theirs()
    {
        // A service account's conda base, or a user's venv an admin was asked to hook. Its bin/python3 is a symlink to
        // root's /usr/bin/python3, which would read the venv's site-packages and run its .pth files as root.
        using var dir = new TempDirectory();
        var prefix = dir.Combine("venv");
        var sitePackages = VirtualEnvironment.Create(prefix);
        var marker = dir.Combine("ran-as-root");
        File.WriteAllText(Path.Combine(sitePackages, "user.pth"), $"import os; open('{marker}', 'w').close()\n");
        Assert.Equal(0, CommandResult.Run("chown", ["-R", $"{NobodyUser.Uid}", prefix]).ExitCode);
        var registry = dir.Combine("hook-prefixes");

        var install = Agent(registry, "install-hook", "--prefix", prefix);

        Assert.Equal(1, install.ExitCode);
        Assert.Equal($"polaris-agent: will not install the hook into {prefix} as root: {prefix} is owned by uid {NobodyUser.Uid}; run install-hook as its owner\n", install.StderrText);
        Assert.False(File.Exists(marker), "root ran the environment's Python, and with it the user's .pth file");
        Assert.Equal([Path.Combine(sitePackages, "user.pth")], Directory.GetFileSystemEntries(sitePackages));
        Assert.False(File.Exists(registry));
    }

    [Fact]
    public void Install_never_imports_a_module_from_the_working_folder()
    {
        // Root's shell may stand in /tmp or in a user's folder: `python -m py_compile` would put that folder first on
        // sys.path and import a py_compile.py anyone planted there, as root.
        using var dir = new TempDirectory();
        var prefix = dir.Combine("venv");
        var sitePackages = VirtualEnvironment.Create(prefix);
        var planted = Directory.CreateDirectory(dir.Combine("planted")).FullName;
        var marker = dir.Combine("ran-as-root");
        File.WriteAllText(Path.Combine(planted, "py_compile.py"), $"open('{marker}', 'w').close()\n");

        var install = CommandResult.Run(AgentBinary.FilePath, ["install-hook", "--prefix", prefix, "--registry", dir.Combine("hook-prefixes")],
            new Dictionary<string, string?> { ["PYTHONPATH"] = planted }, workingDirectory: planted);

        Assert.True(install.ExitCode == 0, install.StderrText);
        Assert.False(File.Exists(marker), "the compile imported the planted py_compile.py");
        Assert.Single(Directory.GetFiles(Path.Combine(sitePackages, "__pycache__"), "_polaris_hook.*.pyc"));
    }
}
