using System.Text.RegularExpressions;
using Polaris.Testing;
using Xunit.Abstractions;

namespace Polaris.EndToEnd.Tests;

/// <summary>The RPMs <c>rpm/build.sh</c> built, as <c>rpm</c> reads them: files, modes and owners, requirements,
/// digests, scriptlets and config flags. <see cref="RpmInstallTests"/> installs them.</summary>
public partial class RpmTests(ITestOutputHelper output)
{
    [Fact]
    public void The_agent_package_holds_exactly_the_layout_with_its_modes_and_owners()
    {
        var agent = RpmPackage.Agent;
        var files = agent.Files();
        output.WriteLine(string.Join('\n', files.Select(f => f.Line)));

        Assert.Equal(RpmLayout.Agent(agent.Version).Order(StringComparer.Ordinal), files.Select(f => f.Line).Order(StringComparer.Ordinal));
        Assert.Equal("../lib/polaris-agent/polaris-agent", files.Single(f => f.Path == "/usr/bin/polaris-agent").LinkTarget);
    }

    [Fact]
    public void The_collector_package_holds_the_layout_and_a_self_contained_runtime()
    {
        var files = RpmPackage.Collector.Files();
        var runtime = files.Where(f => f.Path.StartsWith(RpmLayout.CollectorRuntime, StringComparison.Ordinal)).ToArray();
        output.WriteLine($"{runtime.Length} files in {RpmLayout.CollectorRuntime}");

        Assert.Equal(RpmLayout.Collector().Order(StringComparer.Ordinal), files.Except(runtime).Select(f => f.Line).Order(StringComparer.Ordinal));
        Assert.Equal("../lib/polaris-collector/polaris-collector", files.Single(f => f.Path == "/usr/bin/polaris-collector").LinkTarget);
        // The runtime travels with it (no .NET on the service node): the host, the runtime and the framework.
        foreach (var needed in new[] { "polaris-collector", "polaris-collector.dll", "libhostfxr.so", "libcoreclr.so", "System.Private.CoreLib.dll", "Microsoft.AspNetCore.dll" })
        {
            Assert.Contains(runtime, f => f.Path == RpmLayout.CollectorRuntime + needed);
        }
        Assert.All(runtime, f => Assert.Equal(RpmLayout.IsCollectorProgram(f.Path) ? "-rwxr-xr-x root:root" : "-rw-r--r-- root:root", $"{f.Permissions} {f.User}:{f.Group}"));
    }

    [Fact]
    public void Requirements_name_no_path_of_the_build_machine()
    {
        foreach (var package in new[] { RpmPackage.Agent, RpmPackage.Collector })
        {
            var requires = package.Requires();
            output.WriteLine($"{package.Name}: {string.Join(", ", requires)}");

            // Only the scriptlets' shell, rpm's own features, the C library's sonames and the package's own config.
            Assert.All(requires, r => Assert.Matches(SaneRequirement(), r));
            Assert.Contains("/bin/sh", requires);
            Assert.Contains(requires, r => r.StartsWith("libc.so.6(GLIBC_", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Rpm_K_finds_the_digests_intact_and_a_damaged_copy_out()
    {
        foreach (var package in new[] { RpmPackage.Agent, RpmPackage.Collector })
        {
            var check = CommandResult.Run("rpm", ["-K", package.FilePath]);
            output.WriteLine(check.StdoutText + check.StderrText);

            Assert.True(check.ExitCode == 0, check.StdoutText + check.StderrText);
            Assert.EndsWith(": digests OK\n", check.StdoutText, StringComparison.Ordinal);
        }

        // A byte of the payload changed in transit: the check above is one that can fail.
        using var dir = new TempDirectory();
        var damaged = dir.Combine("damaged.rpm");
        var bytes = File.ReadAllBytes(RpmPackage.Agent.FilePath);
        bytes[^4096] ^= 0x40;
        File.WriteAllBytes(damaged, bytes);
        var refused = CommandResult.Run("rpm", ["-K", damaged]);
        output.WriteLine(refused.StdoutText + refused.StderrText);
        Assert.NotEqual(0, refused.ExitCode);
    }

    [Fact]
    public void The_scriptlets_create_the_users_compile_the_hook_handle_the_units_and_refresh_installed_hooks()
    {
        var agent = Scriptlets(RpmPackage.Agent.Scripts());
        var collector = Scriptlets(RpmPackage.Collector.Scripts());

        Assert.Equal(["preinstall", "postinstall", "preuninstall", "postuninstall", "posttrans"], agent.Keys);
        Assert.Contains("systemd-sysusers --replace=/usr/lib/sysusers.d/polaris-agent.conf -", agent["preinstall"], StringComparison.Ordinal);
        Assert.Contains("u polaris-agent - \"Polaris agent\" /var/spool/polaris-agent -", agent["preinstall"], StringComparison.Ordinal);
        Assert.Contains("useradd -r", agent["preinstall"], StringComparison.Ordinal);
        Assert.Contains("systemd-tmpfiles --create /usr/lib/tmpfiles.d/polaris-agent.conf", agent["postinstall"], StringComparison.Ordinal);
        Assert.Contains("-m py_compile /usr/lib/polaris-agent/hook/sitecustomize.py", agent["postinstall"], StringComparison.Ordinal);
        Assert.Contains("preset polaris-agent.socket polaris-agent.service", agent["postinstall"], StringComparison.Ordinal);
        Assert.Contains("disable --now polaris-agent.service polaris-agent.socket", agent["preuninstall"], StringComparison.Ordinal);
        Assert.Contains("rm -rf /usr/lib/polaris-agent/hook/__pycache__", agent["preuninstall"], StringComparison.Ordinal);
        Assert.Contains("try-restart polaris-agent.service", agent["postuninstall"], StringComparison.Ordinal);
        Assert.Contains("/usr/bin/polaris-agent install-hook --refresh || :", agent["posttrans"], StringComparison.Ordinal);

        Assert.Equal(["preinstall", "postinstall", "preuninstall", "postuninstall"], collector.Keys);
        Assert.Contains("u polaris-collector - \"Polaris collector\" /var/lib/polaris-collector -", collector["preinstall"], StringComparison.Ordinal);
        Assert.Contains("preset polaris-collector.service", collector["postinstall"], StringComparison.Ordinal);
        Assert.Contains("disable --now polaris-collector.service", collector["preuninstall"], StringComparison.Ordinal);
        Assert.Contains("try-restart polaris-collector.service", collector["postuninstall"], StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_etc_files_are_config_kept_on_upgrade_and_the_docs_are_docs()
    {
        foreach (var package in new[] { RpmPackage.Agent, RpmPackage.Collector })
        {
            var files = package.Files();
            var config = files.Where(f => f.Flags.Contains('c', StringComparison.Ordinal)).ToArray();

            var name = package.Name == "polaris-agent" ? "agent" : "collector";
            Assert.Equal($"/etc/{package.Name}/{name}.json", Assert.Single(config).Path);
            Assert.Equal("cn", config[0].Flags);
            Assert.All(files.Where(f => f.Path.StartsWith($"/usr/share/doc/{package.Name}/", StringComparison.Ordinal)), f => Assert.Equal("d", f.Flags));
        }
    }

    // rpm -qp --scripts: "preinstall scriptlet (using /bin/sh):" and the script, for each.
    private static Dictionary<string, string> Scriptlets(string scripts) =>
        ScriptletHeader().Split(scripts).Skip(1).Chunk(2).ToDictionary(pair => pair[0], pair => pair[1]);

    [GeneratedRegex(@"^(\w+) scriptlet \(using /bin/sh\):$", RegexOptions.Multiline)]
    private static partial Regex ScriptletHeader();

    [GeneratedRegex(@"^(/bin/sh|rpmlib\([A-Za-z]+\) <= [\d.-]+|rtld\(GNU_HASH\)|config\(polaris-(agent|collector)\) = [\w.~+]+-\w+|(ld-linux-x86-64|lib(c|m|dl|pthread|rt|gcc_s|stdc\+\+))\.so\.\d+(\([\w.]*\))?\(64bit\))$")]
    private static partial Regex SaneRequirement();
}
