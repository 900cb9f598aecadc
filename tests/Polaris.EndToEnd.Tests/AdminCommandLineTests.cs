using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>What a new admin meets first, with the real AOT agent: help, errors, <c>env</c> in csh and tcsh,
/// <c>install-hook</c> on Debian's layout, and <c>serve</c> started twice.</summary>
public class AdminCommandLineTests
{
    public static TheoryData<string, string> HelpRequests
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var command in new[] { "run", "serve", "status", "env", "install-hook", "uninstall-hook", "bench", "version" })
            {
                data.Add(command, "--help");
                data.Add(command, "-h");
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(HelpRequests))]
    public void Help_on_any_command_prints_its_usage_and_exits_0(string command, string help)
    {
        var result = CommandResult.Run(AgentBinary.FilePath, [command, help], new Dictionary<string, string?> { ["POLARIS_AGENT_STATUS_SOCKET"] = null });

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StderrText}");
        Assert.StartsWith($"usage: polaris-agent {command}", result.StdoutText, StringComparison.Ordinal);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public void Help_after_the_double_dash_of_run_belongs_to_the_command()
    {
        var result = CommandResult.Run(AgentBinary.FilePath, ["run", "--", "/bin/echo", "-h", "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("-h --help\n", result.StdoutText);
    }

    [Theory]
    [InlineData("serve", "--bogus")]
    [InlineData("run", "--drop")]
    [InlineData("env", "--shell=fish")]
    [InlineData("install-hook", "--uninstall")]
    [InlineData("uninstall-hook", "--refresh")]
    [InlineData("nonsense", "")]
    public void A_usage_error_is_one_line_naming_the_help_to_read(string command, string argument)
    {
        var result = CommandResult.Run(AgentBinary.FilePath, argument.Length > 0 ? [command, argument] : [command]);

        Assert.Equal(2, result.ExitCode);
        var lines = result.StderrText.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1, result.StderrText);
        Assert.StartsWith("polaris-agent: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("--help", lines[0], StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [InlineData("tcsh")]
    [InlineData("csh")]
    public void Env_for_csh_can_be_evaluated_in_a_real_csh_and_tcsh(string shell)
    {
        using var dir = new TempDirectory();
        var drop = dir.Combine("drop 'd'");
        var hook = Path.Combine(AgentBinary.Directory, "hook");
        var script = $"eval `{AgentBinary.FilePath} env --shell csh --drop \"{drop}\"`; printenv PYTHONPATH; printenv POLARIS_AGENT_DROP";

        var unset = CommandResult.Run(shell, ["-f", "-c", script], new Dictionary<string, string?> { ["PYTHONPATH"] = null });
        var set = CommandResult.Run(shell, ["-f", "-c", script], new Dictionary<string, string?> { ["PYTHONPATH"] = "/a b:/c" });
        // Empty is as unset: "HOOK:" would put the working folder on sys.path.
        var empty = CommandResult.Run(shell, ["-f", "-c", script], new Dictionary<string, string?> { ["PYTHONPATH"] = "" });

        Assert.True(unset.ExitCode == 0 && unset.Stderr.Length == 0, unset.StderrText);
        Assert.Equal($"{hook}\n{drop}\n", unset.StdoutText);
        Assert.True(set.ExitCode == 0 && set.Stderr.Length == 0, set.StderrText);
        Assert.Equal($"{hook}:/a b:/c\n{drop}\n", set.StdoutText);
        Assert.Equal($"{hook}\n{drop}\n", empty.StdoutText);
    }

    [Fact]
    public void Env_for_sh_still_evaluates_in_sh()
    {
        var hook = Path.Combine(AgentBinary.Directory, "hook");
        var script = $"eval \"$('{AgentBinary.FilePath}' env)\"; printf '%s\\n' \"$PYTHONPATH\"";

        Assert.Equal($"{hook}\n", CommandResult.Run("/bin/sh", ["-c", script], new Dictionary<string, string?> { ["PYTHONPATH"] = null }).StdoutText);
        Assert.Equal($"{hook}:/x\n", CommandResult.Run("/bin/sh", ["-c", script], new Dictionary<string, string?> { ["PYTHONPATH"] = "/x" }).StdoutText);
    }

    [Fact]
    public void Env_refuses_to_print_a_temporary_hook_folder_that_other_nodes_lack()
    {
        // A binary copied without the hook/ folder that the package installs beside it.
        using var dir = new TempDirectory();
        var lone = dir.Combine("polaris-agent");
        File.Copy(AgentBinary.FilePath, lone);
        File.SetUnixFileMode(lone, File.GetUnixFileMode(AgentBinary.FilePath));

        var result = CommandResult.Run(lone, ["env"], new Dictionary<string, string?> { ["XDG_RUNTIME_DIR"] = dir.Combine("runtime") });

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        var lines = result.StderrText.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1 && lines[0].Contains("hook", StringComparison.Ordinal), result.StderrText);
        // run, which uses its folder at once, still works from the lone binary.
        Assert.Equal("ok\n", CommandResult.Run(lone, ["run", "--", "/bin/echo", "ok"]).StdoutText);
    }

    [Fact]
    public void Install_hook_on_a_Debian_layout_covers_dist_packages_and_uninstall_says_what_it_found()
    {
        // A scratch prefix laid out as Debian's /usr: lib/python3/dist-packages and lib/python3.11 without site-packages.
        using var dir = new TempDirectory();
        var prefix = dir.Combine("usr");
        var distPackages = Path.Combine(prefix, "lib", "python3", "dist-packages");
        Directory.CreateDirectory(distPackages);
        Directory.CreateDirectory(Path.Combine(prefix, "lib", "python3.11", "lib-dynload"));

        var install = CommandResult.Run(AgentBinary.FilePath, TestHookRegistry.Args("install-hook", "--prefix", prefix));
        var uninstall = CommandResult.Run(AgentBinary.FilePath, TestHookRegistry.Args("install-hook", "--prefix", prefix, "--uninstall"));
        var again = CommandResult.Run(AgentBinary.FilePath, TestHookRegistry.Args("install-hook", "--prefix", prefix, "--uninstall"));

        Assert.True(install.ExitCode == 0, install.StderrText);
        Assert.Equal($"installed the hook into {distPackages}\nlisted {prefix} in {TestHookRegistry.FilePath}: package upgrades update its hook\n", install.StdoutText);
        Assert.Equal($"removed the hook from {distPackages}\nremoved {prefix} from {TestHookRegistry.FilePath}\n", uninstall.StdoutText);
        Assert.False(File.Exists(Path.Combine(distPackages, "00-polaris-agent.pth")));
        Assert.Equal(0, again.ExitCode);
        Assert.Equal($"the hook was not installed in {distPackages}\n", again.StdoutText);
    }

    [Fact]
    public void Uninstall_leaves_no_compiled_copy_of_the_hook_behind()
    {
        using var dir = new TempDirectory();
        var sitePackages = VirtualEnvironment.Create(dir.Combine("venv"));

        var install = CommandResult.Run(AgentBinary.FilePath, TestHookRegistry.Args("install-hook", "--prefix", dir.Combine("venv")));
        var compiled = Directory.GetFiles(Path.Combine(sitePackages, "__pycache__"), "_polaris_hook.*.pyc");
        var uninstall = CommandResult.Run(AgentBinary.FilePath, TestHookRegistry.Args("install-hook", "--prefix", dir.Combine("venv"), "--uninstall"));

        Assert.True(install.ExitCode == 0 && uninstall.ExitCode == 0, install.StderrText + uninstall.StderrText);
        Assert.NotEmpty(compiled);
        Assert.Empty(Directory.GetFiles(Path.Combine(sitePackages, "__pycache__"), "_polaris_hook.*"));
        Assert.Empty(Directory.GetFiles(sitePackages, "*polaris*"));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void A_second_serve_on_the_same_drop_folder_or_spool_refuses_to_start(bool sameDrop, bool sameSpool)
    {
        using var dir = new TempDirectory("polaris-e2e");
        // No collector is needed to start: batches wait in the spool.
        using var first = AgentDaemon.Start(dir.Path, new Uri("http://127.0.0.1:9/"));
        var other = dir.Combine("other");
        var socket = first.StatusSocket;

        var (exited, code, output) = ServeUntilRefusedOrStarted(
            ["--drop", sameDrop ? first.Drop : Path.Combine(other, "incoming"), "--spool", sameSpool ? first.Spool : Path.Combine(other, "spool"),
             "--collector", "http://127.0.0.1:9/"],
            new Dictionary<string, string> { ["POLARIS_AGENT_STATUS_SOCKET"] = socket, ["POLARIS_AGENT_SUMMARY_QUIET_MS"] = "100" });

        Assert.True(exited, "the second daemon started:\n" + output);
        Assert.Equal(1, code);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1 && lines[0].Contains("another polaris-agent serve", StringComparison.Ordinal), output);
        Assert.Contains(sameDrop ? first.Drop : first.Spool, lines[0], StringComparison.Ordinal);
        // The first daemon keeps its status socket and answers on it.
        var status = CommandResult.Run(AgentBinary.FilePath, ["status", "--socket", socket]);
        Assert.True(status.ExitCode == 0, status.StdoutText + status.StderrText);
        Assert.False(first.Process.HasExited);
    }

    [Fact]
    public void A_misspelt_variable_stops_serve_naming_it_and_the_setting_meant()
    {
        using var dir = new TempDirectory("polaris-e2e");

        var (exited, code, output) = ServeUntilRefusedOrStarted(["--drop", dir.Combine("incoming"), "--spool", dir.Combine("spool")],
            new Dictionary<string, string> { ["POLARIS_AGENT_SPOOL_MAX_BYTE"] = "1000000", ["POLARIS_AGENT_STATUS_SOCKET"] = dir.Combine("s.sock") });

        Assert.True(exited, "serve started:\n" + output);
        Assert.Equal(2, code);
        Assert.Contains("POLARIS_AGENT_SPOOL_MAX_BYTE ", output, StringComparison.Ordinal);
        Assert.Contains("POLARIS_AGENT_SPOOL_MAX_BYTES", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("spool")), "the daemon went on to create its spool");
    }

    /// <summary>Starts <c>serve</c> and waits until it exits or says it takes in records (then stops it): whether it
    /// exited on its own, its exit status, and what it printed.</summary>
    private static (bool Exited, int Code, string Output) ServeUntilRefusedOrStarted(string[] arguments, Dictionary<string, string> environment)
    {
        using var serve = ChildProcess.Start(AgentBinary.FilePath, ["serve", .. arguments], environment);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!serve.HasExited && DateTime.UtcNow < deadline && !serve.Output.Contains("Taking in hook records", StringComparison.Ordinal))
        {
            Thread.Sleep(50);
        }
        var exited = serve.HasExited;
        var code = serve.Terminate();
        return (exited, code, serve.Output);
    }
}
