using Polaris.Testing;
using Xunit.Abstractions;

namespace Polaris.EndToEnd.Tests;

/// <summary>polaris-agent's RPM through an admin's life cycle in a root of its own: install, an edit of the config,
/// a reinstall (rpm runs the upgrade scriptlets), and an erase.</summary>
public class RpmLifecycleTests(ITestOutputHelper output)
{
    private const string Config = "/etc/polaris-agent/agent.json";
    private const string Bytecode = "/usr/lib/polaris-agent/hook/__pycache__";

    [Fact]
    public void A_reinstall_keeps_the_edited_config_and_an_erase_takes_the_compiled_hook_and_keeps_the_edit()
    {
        using var root = new ScratchRoot();
        Succeeds(root.Rpm("-i", "--nodeps", RpmPackage.Agent.FilePath));
        Assert.True(Directory.Exists(root.Path(Bytecode)));
        const string edited = "{\"collector\": [\"https://collector.example:8470/\"]}\n";
        File.WriteAllText(root.Path(Config), edited);

        Succeeds(root.Rpm("-U", "--replacepkgs", "--nodeps", RpmPackage.Agent.FilePath));
        Assert.Equal(edited, File.ReadAllText(root.Path(Config)));
        Assert.False(File.Exists(root.Path(Config + ".rpmnew")), "noreplace: the packaged config did not change, so no .rpmnew");
        Assert.True(Directory.Exists(root.Path(Bytecode)), "an upgrade keeps the compiled hook");

        Succeeds(root.Rpm("-e", "--nodeps", "polaris-agent"));
        Assert.False(Directory.Exists(root.Path("/usr/lib/polaris-agent")), "the erase left /usr/lib/polaris-agent");
        Assert.False(File.Exists(root.Path("/usr/bin/polaris-agent")));
        Assert.Equal(edited, File.ReadAllText(root.Path(Config + ".rpmsave")));
    }

    [Fact]
    public void An_upgrade_updates_the_hook_wherever_install_hook_put_it_and_names_where_it_could_not()
    {
        using var root = new ScratchRoot();
        Succeeds(root.Rpm("-i", "--nodeps", RpmPackage.Agent.FilePath));
        // An admin's two environments in the node's image: one stays, one is deleted before the upgrade.
        foreach (var env in new[] { "/opt/base", "/opt/old" })
        {
            Assert.Equal(0, CommandResult.Run("chroot", [root.Root, "/usr/bin/python3", "-m", "venv", "--without-pip", env]).ExitCode);
            var install = CommandResult.Run("chroot", [root.Root, "/usr/bin/polaris-agent", "install-hook", "--prefix", env]);
            Assert.True(install.ExitCode == 0, install.StderrText);
        }
        var hook = Directory.GetFiles(root.Path("/opt/base/lib"), "_polaris_hook.py", SearchOption.AllDirectories).Single();
        var current = File.ReadAllText(hook);
        File.WriteAllText(hook, "# the hook of an older package\n");
        Directory.Delete(root.Path("/opt/old"), recursive: true);

        var upgrade = root.Rpm("-U", "--replacepkgs", "--nodeps", RpmPackage.Agent.FilePath);

        Succeeds(upgrade);
        Assert.Equal(current, File.ReadAllText(hook));
        Assert.Contains("updated the hook in /opt/base/lib/python3", upgrade.StdoutText, StringComparison.Ordinal);
        Assert.Contains("could not update the hook in /opt/old: it no longer exists", upgrade.StderrText, StringComparison.Ordinal);
    }

    [Fact]
    public void Where_systemd_sysusers_is_missing_useradd_makes_the_daemons_user()
    {
        using var root = new ScratchRoot();
        // Deleted in the overlay only: the root hides this machine's file.
        File.Delete(root.Path("/usr/bin/systemd-sysusers"));
        Assert.False(File.Exists(root.Path("/usr/bin/systemd-sysusers")));
        Assert.True(File.Exists("/usr/bin/systemd-sysusers"));

        Succeeds(root.Rpm("-i", "--nodeps", RpmPackage.Agent.FilePath));

        var user = File.ReadLines(root.Path("/etc/passwd")).Single(l => l.StartsWith("polaris-agent:", StringComparison.Ordinal)).Split(':');
        output.WriteLine(string.Join(':', user));
        Assert.Equal("/var/spool/polaris-agent", user[5]);
        Assert.EndsWith("/nologin", user[6], StringComparison.Ordinal);
        Assert.InRange(int.Parse(user[2], System.Globalization.CultureInfo.InvariantCulture), 1, 999);
        Assert.Equal(user[2], CommandResult.Run("stat", ["-c", "%u", root.Path("/var/spool/polaris-agent/incoming")]).StdoutText.Trim());
    }

    private void Succeeds(CommandResult rpm)
    {
        output.WriteLine(rpm.StdoutText + rpm.StderrText);
        Assert.True(rpm.ExitCode == 0, rpm.StderrText);
        Assert.DoesNotContain("scriptlet failed", rpm.StderrText, StringComparison.Ordinal);
    }
}
