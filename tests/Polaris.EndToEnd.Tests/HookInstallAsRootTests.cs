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

    public static TheoryData<string, string> FoldersOthersMayChange => new()
    {
        // Sticky keeps others from renaming what root made, not from adding their own: a symlink named as root's
        // temporary file, a __pycache__, a python3.X folder of theirs, or a pyvenv.cfg the environment's Python reads.
        { "", "1777" },
        { "lib", "1777" },
        { "lib/pythonX/site-packages", "1777" },
        // Folders between the checked ones, and the bytecode folder root writes into.
        { "lib/pythonX", "775" },
        { "lib/pythonX/site-packages/__pycache__", "777" },
    };

    [Theory]
    [MemberData(nameof(FoldersOthersMayChange))]
    public void Refresh_as_root_leaves_an_environment_with_a_folder_others_may_change_alone(string folder, string mode)
    {
        using var dir = new TempDirectory();
        var prefix = dir.Combine("venv");
        var sitePackages = VirtualEnvironment.Create(prefix);
        var registry = dir.Combine("hook-prefixes");
        Assert.Equal(0, Agent(registry, "install-hook", "--prefix", prefix).ExitCode);
        File.WriteAllText(Path.Combine(sitePackages, "_polaris_hook.py"), "# an older hook\n");
        var shared = Path.TrimEndingDirectorySeparator(Path.Combine(prefix, folder.Replace("pythonX", "python" + PythonPackage.MajorMinor, StringComparison.Ordinal)));
        File.SetUnixFileMode(shared, (UnixFileMode)Convert.ToInt32(mode, 8));

        var refresh = Agent(registry, "install-hook", "--refresh");

        Assert.Equal(1, refresh.ExitCode);
        Assert.Equal($"polaris-agent: could not update the hook in {prefix}: {shared} is owned by uid 0 and writable by others; run install-hook as its owner\n", refresh.StderrText);
        Assert.Equal("# an older hook\n", File.ReadAllText(Path.Combine(sitePackages, "_polaris_hook.py")));
    }

    [Fact]
    public void Refresh_as_root_follows_root_s_symlinks_to_the_environment_and_checks_where_they_lead()
    {
        // Sites name a conda install by a symlink to its current version (/opt/conda -> conda-24.1): a symlink is no
        // folder others may write to, what it leads to is what counts.
        using var dir = new TempDirectory();
        var rootOwned = VirtualEnvironment.Create(dir.Combine("conda-24.1"));
        File.CreateSymbolicLink(dir.Combine("conda"), "conda-24.1");
        var userFolder = Directory.CreateDirectory(dir.Combine("user")).FullName;
        var userOwned = VirtualEnvironment.Create(Path.Combine(userFolder, "venv"));
        File.CreateSymbolicLink(dir.Combine("shared-venv"), Path.Combine(userFolder, "venv"));
        var registry = dir.Combine("hook-prefixes");
        foreach (var prefix in new[] { "conda", "shared-venv" })
        {
            Assert.Equal(0, Agent(registry, "install-hook", "--prefix", dir.Combine(prefix)).ExitCode);
        }
        File.WriteAllText(Path.Combine(rootOwned, "_polaris_hook.py"), "# an older hook\n");
        File.WriteAllText(Path.Combine(userOwned, "_polaris_hook.py"), "# an older hook\n");
        // The user who owns the folder the second symlink leads into can rename the environment and put their own there.
        Assert.Equal(0, CommandResult.Run("chown", [$"{NobodyUser.Uid}", userFolder]).ExitCode);

        var refresh = Agent(registry, "install-hook", "--refresh");

        Assert.Equal(1, refresh.ExitCode);
        Assert.Equal($"updated the hook in {dir.Combine("conda", "lib", "python" + PythonPackage.MajorMinor, "site-packages")}\n", refresh.StdoutText);
        Assert.Equal($"polaris-agent: could not update the hook in {dir.Combine("shared-venv")}: {userFolder} is owned by uid {NobodyUser.Uid}; run install-hook as its owner\n", refresh.StderrText);
        Assert.Equal("# an older hook\n", File.ReadAllText(Path.Combine(userOwned, "_polaris_hook.py")));
    }

    [Fact]
    public void Install_as_root_compiles_with_no_Python_whose_pyvenv_cfg_another_user_may_change()
    {
        // pyvenv.cfg's home= tells the interpreter where its standard library is: whoever may write it chooses the
        // code the compile runs.
        using var dir = new TempDirectory();
        var prefix = dir.Combine("venv");
        var sitePackages = VirtualEnvironment.Create(prefix);
        Assert.Equal(0, CommandResult.Run("chown", [$"{NobodyUser.Uid}", Path.Combine(prefix, "pyvenv.cfg")]).ExitCode);

        var install = Agent(dir.Combine("hook-prefixes"), "install-hook", "--prefix", prefix);

        Assert.True(install.ExitCode == 0, install.StderrText);
        Assert.StartsWith($"installed the hook into {sitePackages} (not byte-compiled: {Path.Combine(prefix, "bin", "python3")} is not root's alone)\n", install.StdoutText, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(sitePackages, "__pycache__")));
    }
}
