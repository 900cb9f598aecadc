using System.Globalization;
using System.Text.RegularExpressions;
using Polaris.Testing;
using Xunit.Abstractions;

namespace Polaris.EndToEnd.Tests;

/// <summary>The RPMs installed with <c>rpm --root</c> into a scratch root, scriptlets and all, and the installed
/// binaries and units run and checked from there.</summary>
public partial class RpmInstallTests(InstalledPackages installed, ITestOutputHelper output) : IClassFixture<InstalledPackages>
{
    private ScratchRoot Root => installed.Root;

    [Fact]
    public void The_scriptlets_run_cleanly_and_leave_the_users_the_spool_and_the_compiled_hook()
    {
        output.WriteLine(installed.Install.StdoutText + installed.Install.StderrText);
        Assert.True(installed.Install.ExitCode == 0, installed.Install.StderrText);
        Assert.DoesNotContain("scriptlet failed", installed.Install.StderrText, StringComparison.Ordinal);
        Assert.DoesNotContain("does not exist - using root", installed.Install.StderrText, StringComparison.Ordinal);

        // %pre made the users before rpm laid down their folders, so these are theirs.
        var agent = Root.Uid("polaris-agent") ?? throw new InvalidOperationException("no user polaris-agent in the root");
        var collector = Root.Uid("polaris-collector") ?? throw new InvalidOperationException("no user polaris-collector in the root");
        Assert.Equal((agent, "711"), Owner("/var/spool/polaris-agent"));
        Assert.Equal((agent, "700"), Owner("/var/spool/polaris-agent/batches"));
        Assert.Equal((agent, "1733"), Owner("/var/spool/polaris-agent/incoming"));
        Assert.Equal((collector, "750"), Owner("/var/lib/polaris-collector"));

        // %post compiled the hook for every Python of the machine (python3.11 on Debian 12, and any other).
        var pythons = Directory.GetFiles("/usr/bin", "python3.*").Where(p => Regex.IsMatch(Path.GetFileName(p), @"^python3\.\d+$")).ToArray();
        Assert.NotEmpty(pythons);
        foreach (var python in pythons)
        {
            var tag = "cpython-3" + Path.GetFileName(python)["python3.".Length..];
            Assert.True(File.Exists(Root.Path($"/usr/lib/polaris-agent/hook/__pycache__/sitecustomize.{tag}.pyc")), $"no bytecode for {python}");
        }
    }

    [Fact]
    public void The_installed_units_users_folders_configs_and_modulefiles_are_the_repository_files_as_they_are()
    {
        var version = RpmPackage.Agent.Version;
        foreach (var (file, installedAs) in new[]
        {
            ("systemd/polaris-agent.service", "/usr/lib/systemd/system/polaris-agent.service"),
            ("systemd/polaris-agent.socket", "/usr/lib/systemd/system/polaris-agent.socket"),
            ("systemd/polaris-collector.service", "/usr/lib/systemd/system/polaris-collector.service"),
            ("systemd/polaris-agent.sysusers", "/usr/lib/sysusers.d/polaris-agent.conf"),
            ("systemd/polaris-collector.sysusers", "/usr/lib/sysusers.d/polaris-collector.conf"),
            ("systemd/polaris-agent.tmpfiles", "/usr/lib/tmpfiles.d/polaris-agent.conf"),
            ("rpm/etc/polaris-agent/agent.json", "/etc/polaris-agent/agent.json"),
            ("rpm/etc/polaris-collector/collector.json", "/etc/polaris-collector/collector.json"),
            ("agent/modulefiles/polaris-agent.lua", $"/usr/share/modulefiles/polaris-agent/{version}.lua"),
            ("agent/modulefiles/polaris-agent.tcl", $"/usr/share/modulefiles/polaris-agent/{version}"),
            ("agent/Polaris.Agent/Hook/sitecustomize.py", "/usr/lib/polaris-agent/hook/sitecustomize.py"),
            ("monitoring/polaris-rules.yml", "/usr/share/polaris-collector/prometheus/polaris-rules.yml"),
            ("monitoring/polaris-dashboard.json", "/usr/share/polaris-collector/grafana/polaris-dashboard.json"),
        })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(RepoPaths.Root, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Root.Path(installedAs))), $"{installedAs} is not {file}");
        }
    }

    [Fact]
    public void The_installed_agent_runs_and_finds_its_hook_beside_the_real_binary_also_through_the_symlink()
    {
        var binary = Root.Path("/usr/lib/polaris-agent/polaris-agent");
        var version = CommandResult.Run(binary, ["version"]);
        Assert.Equal(RpmPackage.Agent.Version + "\n", version.StdoutText);

        var hook = Root.Path("/usr/lib/polaris-agent/hook");
        foreach (var path in new[] { binary, Root.Path("/usr/bin/polaris-agent") })
        {
            var env = CommandResult.Run(path, ["env"]);
            output.WriteLine($"{path} env: {env.StdoutText}{env.StderrText}");
            Assert.Equal($"export PYTHONPATH='{hook}'\"${{PYTHONPATH:+:$PYTHONPATH}}\"\n", env.StdoutText);
        }
    }

    [Fact]
    public async Task The_installed_agent_ships_a_python_record_to_the_installed_collector_with_the_shipped_configs()
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.StartExecutable(Root.Path("/usr/bin/polaris-collector"),
            ["serve", "--config", Root.Path("/etc/polaris-collector/collector.json"), "--urls", "http://127.0.0.1:0", "--data", dir.Combine("data")]);
        Assert.Equal("ok\n", await collector.Http.GetStringAsync("healthz"));

        var agent = Root.Path("/usr/bin/polaris-agent");
        using var daemon = ChildProcess.Start(agent,
            ["serve", "--config", Root.Path("/etc/polaris-agent/agent.json"), "--drop", dir.Combine("incoming"), "--spool", dir.Combine("spool"), "--collector", collector.Url.ToString()],
            new Dictionary<string, string> { ["POLARIS_AGENT_STATUS_SOCKET"] = dir.Combine("status.sock") });
        daemon.WaitUntil(() => daemon.Output.Contains("Taking in hook records", StringComparison.Ordinal), "the drop folder");

        var python = CommandResult.Run(agent, ["run", "--drop", dir.Combine("incoming"), "--", RepoPaths.Python, "-c", "import json"]);
        Assert.Equal(0, python.ExitCode);

        var summary = collector.WaitForProcess(python.Pid);
        Assert.Contains("\"json\"", summary.GetRawText(), StringComparison.Ordinal);
        daemon.Terminate();
    }

    [Fact]
    public void The_installed_units_pass_systemd_analyze_verify_against_the_binaries_the_packages_install()
    {
        var result = CommandResult.Run("systemd-analyze", [$"--root={Root.Root}", "verify", "polaris-agent.socket", "polaris-agent.service", "polaris-collector.service"]);

        Assert.True(result.ExitCode == 0 && result.Stderr.Length == 0, result.StderrText);
        // verify looks for ExecStart's program in the root, which sees this machine too: it must be the packages' own.
        var packaged = RpmPackage.Agent.Files().Concat(RpmPackage.Collector.Files()).ToDictionary(f => f.Path);
        foreach (var unit in new[] { "polaris-agent.service", "polaris-collector.service" })
        {
            var program = ExecStart().Match(File.ReadAllText(Root.Path("/usr/lib/systemd/system/" + unit))).Groups[1].Value;
            Assert.True(packaged.TryGetValue(program, out var file), $"{unit} starts {program}, which no package installs");
            if (file.LinkTarget.Length > 0)
            {
                file = packaged[Path.GetFullPath(Path.Combine(Path.GetDirectoryName(program)!, file.LinkTarget))];
            }
            Assert.StartsWith("-rwx", file.Permissions, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_guide_s_systemctl_enable_wires_the_installed_units_where_systemd_starts_them_at_boot()
    {
        // As the guide's "systemctl enable --now", without the --now that needs a running systemd: offline, in the root.
        var result = CommandResult.Run("systemctl", [$"--root={Root.Root}", "enable", "polaris-agent.socket", "polaris-agent.service", "polaris-collector.service"]);

        Assert.True(result.ExitCode == 0, result.StderrText);
        foreach (var link in new[] { "sockets.target.wants/polaris-agent.socket", "multi-user.target.wants/polaris-agent.service", "multi-user.target.wants/polaris-collector.service" })
        {
            // The package's unit, by whichever path systemctl found it (/lib is /usr/lib on a merged-/usr system).
            var target = new FileInfo(Root.Path("/etc/systemd/system/" + link)).LinkTarget ?? throw new InvalidOperationException($"{link} is not enabled");
            Assert.Equal(File.ReadAllText(Root.Path("/usr/lib/systemd/system/" + Path.GetFileName(link))), File.ReadAllText(Root.Path(target)));
        }
    }

    [Theory]
    [InlineData("polaris-agent.service")]
    [InlineData("polaris-collector.service")]
    public void Each_installed_service_is_hardened_to_an_exposure_of_at_most_2(string unit)
    {
        var result = CommandResult.Run("systemd-analyze", ["security", "--offline=true", $"--root={Root.Root}", unit]);

        var exposure = ExposureLine().Match(result.StdoutText);
        Assert.True(exposure.Success, result.StdoutText + result.StderrText);
        output.WriteLine($"{unit}: exposure {exposure.Groups[1].Value}");
        Assert.InRange(double.Parse(exposure.Groups[1].Value, CultureInfo.InvariantCulture), 0, 2.0);
    }

    private (int Uid, string Mode) Owner(string path)
    {
        var status = CommandResult.Run("stat", ["-c", "%u %a", Root.Path(path)]).StdoutText.Split(' ');
        return (int.Parse(status[0], CultureInfo.InvariantCulture), status[1].Trim());
    }

    [GeneratedRegex(@"^ExecStart=[-@:+!]*(\S+)", RegexOptions.Multiline)]
    private static partial Regex ExecStart();

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+\.\d+)")]
    private static partial Regex ExposureLine();
}
