using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary><c>install-hook --refresh</c>, the package upgrade's scriptlet, over environments as a site has them.</summary>
public class HookRefreshTests
{
    [Fact]
    public void An_environment_whose_Python_cannot_run_here_is_updated_uncompiled_and_stops_none_of_the_others()
    {
        // An environment of another architecture on a file system every node mounts (aarch64 and x86_64 partitions
        // sharing /soft): its python3 fails to exec here. Before, that exception aborted the refresh (SIGABRT, a core
        // dump in the RPM transaction) and every environment listed after it kept its old hook.
        using var dir = new TempDirectory();
        var registry = dir.Combine("hook-prefixes");
        var sitePackages = new[] { "other-arch", "native" }.ToDictionary(name => name, name => VirtualEnvironment.Create(dir.Combine(name)));
        foreach (var name in sitePackages.Keys)
        {
            Assert.Equal(0, CommandResult.Run(AgentBinary.FilePath, ["install-hook", "--prefix", dir.Combine(name), "--registry", registry]).ExitCode);
            File.WriteAllText(Path.Combine(sitePackages[name], "_polaris_hook.py"), "# an older hook\n");
        }
        var python = Path.Combine(dir.Combine("other-arch"), "bin", "python3");
        File.Delete(python);
        File.WriteAllBytes(python, [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0]);
        File.SetUnixFileMode(python, (UnixFileMode)Convert.ToInt32("755", 8));

        var refresh = CommandResult.Run(AgentBinary.FilePath, ["install-hook", "--refresh", "--registry", registry]);

        Assert.True(refresh.ExitCode == 0, refresh.StderrText);
        var lines = refresh.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"updated the hook in {sitePackages["other-arch"]} (not byte-compiled: {python} did not start: ", lines[0], StringComparison.Ordinal);
        Assert.Equal($"updated the hook in {sitePackages["native"]}", lines[1]);
        Assert.All(sitePackages.Values, folder => Assert.NotEqual("# an older hook\n", File.ReadAllText(Path.Combine(folder, "_polaris_hook.py"))));
    }
}
