using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary><c>install-hook</c>, <c>uninstall-hook</c> and <c>install-hook --refresh</c> with the real AOT agent: idempotent,
/// saying what they did, and the registry an upgrade of the package refreshes.</summary>
public class HookInstallTests
{
    private static CommandResult Agent(string registry, params string[] args) =>
        CommandResult.Run(AgentBinary.FilePath, [.. args, "--registry", registry]);

    private static string Embedded() => File.ReadAllText(Path.Combine(Path.GetDirectoryName(AgentBinary.FilePath)!, "hook", "sitecustomize.py"));

    [Fact]
    public void Installing_twice_changes_nothing_the_second_time_and_says_so()
    {
        using var dir = new TempDirectory();
        var sitePackages = VirtualEnvironment.Create(dir.Combine("venv"));
        var registry = dir.Combine("hook-prefixes");

        var first = Agent(registry, "install-hook", "--prefix", dir.Combine("venv"));
        var written = File.GetLastWriteTimeUtc(Path.Combine(sitePackages, "_polaris_hook.py"));
        var second = Agent(registry, "install-hook", "--prefix", dir.Combine("venv"));

        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, first.StderrText + second.StderrText);
        Assert.StartsWith($"installed the hook into {sitePackages}\n", first.StdoutText, StringComparison.Ordinal);
        Assert.Equal($"the hook in {sitePackages} is up to date\n", second.StdoutText);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(sitePackages, "_polaris_hook.py")));
        Assert.Equal([dir.Combine("venv")], File.ReadAllLines(registry));
    }

    [Fact]
    public void Refresh_updates_every_listed_environment_and_names_the_one_it_could_not()
    {
        using var dir = new TempDirectory();
        var stale = VirtualEnvironment.Create(dir.Combine("stale"));
        var current = VirtualEnvironment.Create(dir.Combine("current"));
        var registry = dir.Combine("hook-prefixes");
        foreach (var prefix in new[] { "stale", "gone", "current" })
        {
            if (prefix == "gone")
            {
                VirtualEnvironment.Create(dir.Combine(prefix));
            }
            Assert.Equal(0, Agent(registry, "install-hook", "--prefix", dir.Combine(prefix)).ExitCode);
        }
        // The package's previous version left an older hook; one environment was deleted since.
        File.WriteAllText(Path.Combine(stale, "_polaris_hook.py"), "# an older hook\n");
        Directory.Delete(dir.Combine("gone"), recursive: true);

        var refresh = Agent(registry, "install-hook", "--refresh");

        Assert.Equal(1, refresh.ExitCode);
        Assert.Equal($"updated the hook in {stale}\nthe hook in {current} is up to date\n", refresh.StdoutText);
        Assert.Equal($"polaris-agent: could not update the hook in {dir.Combine("gone")}: it no longer exists\n", refresh.StderrText);
        Assert.Equal(Embedded(), File.ReadAllText(Path.Combine(stale, "_polaris_hook.py")));
    }

    [Fact]
    public void Uninstall_hook_removes_the_environment_from_the_registry_and_a_second_time_finds_nothing()
    {
        using var dir = new TempDirectory();
        var sitePackages = VirtualEnvironment.Create(dir.Combine("venv"));
        var registry = dir.Combine("hook-prefixes");
        Assert.Equal(0, Agent(registry, "install-hook", "--prefix", dir.Combine("venv")).ExitCode);

        var first = Agent(registry, "uninstall-hook", "--prefix", dir.Combine("venv"));
        var second = Agent(registry, "uninstall-hook", "--prefix", dir.Combine("venv"));
        var refresh = Agent(registry, "install-hook", "--refresh");

        Assert.Equal($"removed the hook from {sitePackages}\nremoved {dir.Combine("venv")} from {registry}\n", first.StdoutText);
        Assert.Equal($"the hook was not installed in {sitePackages}\n", second.StdoutText);
        Assert.Empty(File.ReadAllLines(registry));
        Assert.True(refresh.ExitCode == 0 && refresh.Stdout.Length == 0 && refresh.Stderr.Length == 0, refresh.StdoutText + refresh.StderrText);
    }

    [Fact]
    public void Refresh_as_root_leaves_an_environment_another_user_owns_alone()
    {
        // The refresh runs as root in the package's scriptlet: writing into a user's folders, or running the user's
        // Python, would let that user have root write or run what they choose.
        using var dir = new TempDirectory();
        var sitePackages = VirtualEnvironment.Create(dir.Combine("venv"));
        var registry = dir.Combine("hook-prefixes");
        Assert.Equal(0, Agent(registry, "install-hook", "--prefix", dir.Combine("venv")).ExitCode);
        File.WriteAllText(Path.Combine(sitePackages, "_polaris_hook.py"), "# an older hook\n");
        Assert.Equal(0, CommandResult.Run("chown", ["-R", $"{NobodyUser.Uid}", dir.Combine("venv")]).ExitCode);

        var refresh = Agent(registry, "install-hook", "--refresh");

        Assert.Equal(1, refresh.ExitCode);
        Assert.Contains($"could not update the hook in {dir.Combine("venv")}: {dir.Combine("venv")} is owned by uid {NobodyUser.Uid}", refresh.StderrText, StringComparison.Ordinal);
        Assert.Equal("# an older hook\n", File.ReadAllText(Path.Combine(sitePackages, "_polaris_hook.py")));
    }

    [Fact]
    public void Refresh_as_root_leaves_an_environment_in_a_folder_another_user_owns_alone()
    {
        // The environment is root's, but the user who owns the folder above it can rename it and put their own in its place.
        using var dir = new TempDirectory();
        var prefix = dir.Combine("user", "venv");
        var sitePackages = VirtualEnvironment.Create(prefix);
        var registry = dir.Combine("hook-prefixes");
        Assert.Equal(0, Agent(registry, "install-hook", "--prefix", prefix).ExitCode);
        File.WriteAllText(Path.Combine(sitePackages, "_polaris_hook.py"), "# an older hook\n");
        Assert.Equal(0, CommandResult.Run("chown", [$"{NobodyUser.Uid}", dir.Combine("user")]).ExitCode);

        var refresh = Agent(registry, "install-hook", "--refresh");

        Assert.Equal(1, refresh.ExitCode);
        Assert.Contains($"could not update the hook in {prefix}: {dir.Combine("user")} is owned by uid {NobodyUser.Uid}", refresh.StderrText, StringComparison.Ordinal);
        Assert.Equal("# an older hook\n", File.ReadAllText(Path.Combine(sitePackages, "_polaris_hook.py")));
    }

    [Fact]
    public void Install_as_root_never_runs_a_Python_another_user_could_have_changed()
    {
        using var dir = new TempDirectory();
        var prefix = dir.Combine("env");
        var sitePackages = Path.Combine(prefix, "lib", "python3.11", "site-packages");
        Directory.CreateDirectory(sitePackages);
        Directory.CreateDirectory(Path.Combine(prefix, "bin"));
        var marker = dir.Combine("ran");
        var python = Path.Combine(prefix, "bin", "python3");
        File.WriteAllText(python, $"#!/bin/sh\ntouch {marker}\n");
        File.SetUnixFileMode(python, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute | UnixFileMode.OtherRead);
        Assert.Equal(0, CommandResult.Run("chown", [$"{NobodyUser.Uid}", python]).ExitCode);

        var install = Agent(dir.Combine("hook-prefixes"), "install-hook", "--prefix", prefix);

        Assert.True(install.ExitCode == 0, install.StderrText);
        Assert.StartsWith($"installed the hook into {sitePackages} (not byte-compiled: {python} is not root's alone)\n", install.StdoutText, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }
}
