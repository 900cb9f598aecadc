using System.Text;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>However the hook is reached (a .pth in the environment, <c>PYTHONPATH</c> through <c>run</c>, both, <c>run</c>
/// inside an <c>env</c> shell), on every CPython here and in every kind of environment, the program's output and exit
/// status are those it has without the hook, the environment's own <c>sitecustomize</c> runs exactly once, and the
/// process leaves exactly one record.</summary>
/// <remarks>
/// No daemon runs: record files stay in the drop folder, where they are counted. One case is one interpreter in one
/// kind of environment, built once; the routes run in turn inside it, before and after <c>install-hook</c>, each with
/// and without a user's <c>sitecustomize</c> on <c>PYTHONPATH</c> that chains to the next one the usual way.
/// </remarks>
public class HookRouteTests
{
    private const string Probe = "polaris_route_probe";

    /// <summary>Printed to stdout and stderr by the environment's own <c>sitecustomize</c> (in its standard library
    /// folder, on <c>sys.path</c> in venvs too), which also imports <c>sitecustomize</c> itself, as some sites' do.</summary>
    private const string SiteCustomize =
        "import sys\nprint('site-marker')\nsys.stderr.write('site-marker\\n')\nimport sitecustomize\n";

    /// <summary>A user's own <c>sitecustomize</c> on <c>PYTHONPATH</c>, chaining to the site's: it takes its folder off
    /// <c>sys.path</c>, forgets itself and imports <c>sitecustomize</c> again.</summary>
    private const string UserSiteCustomize =
        "import os, sys\nprint('user-marker')\nsys.stderr.write('user-marker\\n')\n"
        + "_here = os.path.dirname(os.path.abspath(__file__))\n"
        + "sys.path[:] = [p for p in sys.path if os.path.abspath(p) != _here]\n"
        + "del sys.modules['sitecustomize']\nimport sitecustomize\n";

    /// <summary>The user site's <c>usercustomize</c> (where the environment enables the user site).</summary>
    private const string UserCustomize = "import sys\nprint('usercustomize-marker')\nsys.stderr.write('usercustomize-marker\\n')\n";

    /// <summary>What the program shows: the path the hook must leave as it found it, the sitecustomize that stays.</summary>
    private const string Script =
        $"import {Probe}\nimport sys\nprint('path', sys.path)\n"
        + "print('sitecustomize', getattr(sys.modules.get('sitecustomize'), '__file__', None))\n"
        + "sys.stderr.write('to stderr\\n')\nsys.exit(3)\n";

    private static readonly string[] Environments = ["system", "venv", "venv-system-site", "conda-like"];

    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var interpreter in Interpreters.All())
            {
                foreach (var environment in Environments)
                {
                    data.Add(interpreter, environment);
                }
            }
            return data;
        }
    }

    [Fact]
    public void Debians_interpreter_is_always_among_those_tested() =>
        Assert.Contains(RepoPaths.Python, Interpreters.All());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_route_is_silent_records_the_process_once_and_chains_the_site_sitecustomize_once(string interpreter, string environment)
    {
        using var dir = new TempDirectory("polaris-routes");
        var (python, prefixes, majorMinor) = Build(dir, interpreter, environment);
        var work = dir.Combine("work");
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, Probe + ".py"), "");
        var script = Path.Combine(work, "main.py");
        File.WriteAllText(script, Script);
        var user = dir.Combine("user");
        Directory.CreateDirectory(user);
        File.WriteAllText(Path.Combine(user, "sitecustomize.py"), UserSiteCustomize);
        var userSite = dir.Combine("userbase", "lib", "python" + majorMinor, "site-packages");
        Directory.CreateDirectory(userSite);
        File.WriteAllText(Path.Combine(userSite, "usercustomize.py"), UserCustomize);
        var drop = dir.Combine("drop");
        Directory.CreateDirectory(drop);

        var failures = new List<string>();
        var bare = new Dictionary<bool, CommandResult>();
        foreach (var withUser in new[] { false, true })
        {
            var environmentVariables = Variables(dir, drop, withUser ? user : null);
            var result = CommandResult.Run(python, [script], environmentVariables, work);
            // The control: the set-up shows what the comparisons are about, and nothing records without a hook.
            Assert.Equal(3, result.ExitCode);
            Assert.Equal(1, Count(result.StdoutText, "site-marker\n"));
            Assert.Equal(1, Count(result.StderrText, "site-marker\n"));
            Assert.Equal(withUser ? 1 : 0, Count(result.StdoutText, "user-marker\n"));
            Assert.Empty(Directory.GetFiles(drop));
            bare[withUser] = result;
            foreach (var route in Routes(python, script, drop))
            {
                Check(failures, $"{route.Name}{(withUser ? " + user sitecustomize" : "")}", result, route.Run(environmentVariables, work), drop);
            }
        }
        foreach (var prefix in prefixes)
        {
            var install = CommandResult.Run(AgentBinary.FilePath, TestHookRegistry.Args("install-hook", "--prefix", prefix), new Dictionary<string, string?> { ["PYTHONDONTWRITEBYTECODE"] = "1" });
            Assert.True(install.ExitCode == 0, $"install-hook --prefix {prefix}: {install.StderrText}");
        }
        foreach (var withUser in new[] { false, true })
        {
            var environmentVariables = Variables(dir, drop, withUser ? user : null);
            var suffix = withUser ? " + user sitecustomize" : "";
            Check(failures, ".pth" + suffix, bare[withUser], CommandResult.Run(python, [script], environmentVariables, work), drop);
            foreach (var route in Routes(python, script, drop))
            {
                Check(failures, $".pth + {route.Name}{suffix}", bare[withUser], route.Run(environmentVariables, work), drop);
            }
        }
        Assert.True(failures.Count == 0, $"{interpreter} in a {environment}:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Copies_in_two_folders_and_a_late_site_addsitedir_install_the_hook_once()
    {
        // Two agents' hook folders on PYTHONPATH (a modulefile's and a job script's), then a program that adds a site
        // folder holding the .pth route: three copies of the hook, one record, output as without them.
        using var dir = new TempDirectory("polaris-routes");
        var hook = File.ReadAllBytes(Path.Combine(AgentBinary.Directory, "hook", "sitecustomize.py"));
        foreach (var folder in new[] { "one", "two" })
        {
            Directory.CreateDirectory(dir.Combine(folder));
            File.WriteAllBytes(dir.Combine(folder, "sitecustomize.py"), hook);
        }
        Directory.CreateDirectory(dir.Combine("site"));
        File.WriteAllBytes(dir.Combine("site", "_polaris_hook.py"), hook);
        File.WriteAllText(dir.Combine("site", "00-polaris-agent.pth"), "import _polaris_hook\n");
        Directory.CreateDirectory(dir.Combine("plain"));
        File.WriteAllText(dir.Combine(Probe + ".py"), "");
        var script = dir.Combine("main.py");
        File.WriteAllText(script, $"import site, sys\nsite.addsitedir(sys.argv[1])\nimport {Probe}\nprint('done', len(sys.path))\nsys.stderr.write('to stderr\\n')\n");
        var drop = dir.Combine("drop");
        Directory.CreateDirectory(drop);
        _ = AgentBinary.FilePath;

        var bare = CommandResult.Run(RepoPaths.Python, [script, dir.Combine("plain")], new Dictionary<string, string?> { ["PYTHONPATH"] = null });
        var hooked = CommandResult.Run(RepoPaths.Python, [script, dir.Combine("site")], new Dictionary<string, string?>
        {
            ["PYTHONPATH"] = dir.Combine("one") + ":" + dir.Combine("two"),
            ["POLARIS_AGENT_DROP"] = drop,
            ["PYTHONDONTWRITEBYTECODE"] = "1",
        });

        var failures = new List<string>();
        Check(failures, "two sitecustomize copies and a .pth added late", bare, hooked, drop);
        Assert.Empty(failures);
    }

    [Theory]
    [InlineData("raise RuntimeError('site broken')")]
    [InlineData("import polaris_missing_module")]
    public void A_chained_sitecustomize_that_fails_fails_as_without_the_hook(string failure)
    {
        using var dir = new TempDirectory("polaris-routes");
        var user = dir.Combine("user");
        Directory.CreateDirectory(user);
        File.WriteAllText(Path.Combine(user, "sitecustomize.py"), $"print('before the failure')\n{failure}\n");
        var venv = dir.Combine("venv");
        VirtualEnvironment.Create(venv);
        var python = VirtualEnvironment.Python(venv);
        File.WriteAllText(dir.Combine(Probe + ".py"), "");
        var script = dir.Combine("main.py");
        File.WriteAllText(script, $"import {Probe}, sys\nprint('main', sys.modules.get('sitecustomize'))\n");
        var drop = dir.Combine("drop");
        Directory.CreateDirectory(drop);
        var variables = new Dictionary<string, string?> { ["PYTHONPATH"] = user, ["POLARIS_AGENT_DROP"] = drop };

        var bare = CommandResult.Run(python, [script], variables, dir.Path);
        var failures = new List<string>();
        foreach (var route in Routes(python, script, drop))
        {
            Check(failures, route.Name, bare, route.Run(variables, dir.Path), drop);
        }
        var install = CommandResult.Run(AgentBinary.FilePath, TestHookRegistry.Args("install-hook", "--prefix", venv));
        Assert.True(install.ExitCode == 0, install.StderrText);
        Check(failures, ".pth", bare, CommandResult.Run(python, [script], variables, dir.Path), drop);
        foreach (var route in Routes(python, script, drop))
        {
            Check(failures, ".pth + " + route.Name, bare, route.Run(variables, dir.Path), drop);
        }

        // The control: the failure shows, as site.py reports it, and the program runs on.
        Assert.Contains("before the failure", bare.StdoutText, StringComparison.Ordinal);
        Assert.Contains("main ", bare.StdoutText, StringComparison.Ordinal);
        Assert.Contains("Error in sitecustomize", bare.StderrText, StringComparison.Ordinal);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private sealed record Route(string Name, Func<IReadOnlyDictionary<string, string?>, string, CommandResult> Run);

    private static Route[] Routes(string python, string script, string drop) =>
    [
        new("PYTHONPATH through run", (variables, work) =>
            CommandResult.Run(AgentBinary.FilePath, ["run", "--drop", drop, "--", python, script], variables, work)),
        // The folder is then twice on PYTHONPATH. exec keeps the pid, so the record is still the shell's pid's.
        new("run inside an env shell", (variables, work) =>
            CommandResult.Run("/bin/sh", ["-c", "eval \"$(\"$0\" env --drop \"$1\")\" && exec \"$0\" run --drop \"$1\" -- \"$2\" \"$3\"",
                AgentBinary.FilePath, drop, python, script], variables, work)),
    ];

    /// <summary>Compares a hooked run with the bare one, and counts the records it left (then removes them).</summary>
    private static void Check(List<string> failures, string route, CommandResult bare, CommandResult hooked, string drop)
    {
        if (hooked.ExitCode != bare.ExitCode)
        {
            failures.Add($"{route}: exit {hooked.ExitCode}, without the hook {bare.ExitCode}");
        }
        if (!hooked.Stdout.AsSpan().SequenceEqual(bare.Stdout))
        {
            failures.Add($"{route}: stdout\n{hooked.StdoutText}\nwithout the hook\n{bare.StdoutText}");
        }
        if (!hooked.Stderr.AsSpan().SequenceEqual(bare.Stderr))
        {
            failures.Add($"{route}: stderr\n{hooked.StderrText}\nwithout the hook\n{bare.StderrText}");
        }
        var records = Directory.GetFiles(drop);
        var ours = records.Where(r => Path.GetFileName(r).StartsWith($"{hooked.Pid}.", StringComparison.Ordinal)).ToArray();
        if (records.Length != 1 || ours.Length != 1)
        {
            failures.Add($"{route}: {records.Length} record files, {ours.Length} of pid {hooked.Pid}; one expected");
        }
        else
        {
            var text = Encoding.UTF8.GetString(File.ReadAllBytes(ours[0]));
            if (!text.Contains(Probe, StringComparison.Ordinal) || !text.Contains("\0exit\0exit", StringComparison.Ordinal))
            {
                failures.Add($"{route}: the record lacks the probe module or its exit frame");
            }
        }
        foreach (var record in records)
        {
            File.Delete(record);
        }
    }

    private static Dictionary<string, string?> Variables(TempDirectory dir, string drop, string? userFolder) => new()
    {
        ["PYTHONPATH"] = userFolder,
        ["POLARIS_AGENT_DROP"] = drop,
        ["PYTHONUSERBASE"] = dir.Combine("userbase"),
        // The interpreter copies share the originals' bytecode caches: read them, never write into the real folders.
        ["PYTHONDONTWRITEBYTECODE"] = "1",
        ["PYTHONNOUSERSITE"] = null,
        ["PYTHONHOME"] = null,
        ["VIRTUAL_ENV"] = null,
        ["CONDA_PREFIX"] = null,
    };

    /// <summary>Makes the environment: its interpreter, the prefixes a .pth route installs into (the environment's, and
    /// a venv's base too: with system site-packages, the hook is then in two .pth files), and its <c>X.Y</c>.</summary>
    private static (string Python, string[] Prefixes, string MajorMinor) Build(TempDirectory dir, string interpreter, string environment)
    {
        switch (environment)
        {
            case "system":
                {
                    var copy = WithSiteCustomize(InterpreterCopy.Create(interpreter, dir.Combine("system")));
                    return (copy.Python, [copy.Prefix], copy.MajorMinor);
                }
            case "venv" or "venv-system-site":
                {
                    var copy = WithSiteCustomize(InterpreterCopy.Create(interpreter, dir.Combine("base")));
                    var venv = dir.Combine("venv");
                    var made = CommandResult.Run(copy.Python, ["-m", "venv", "--without-pip", .. environment == "venv" ? Array.Empty<string>() : ["--system-site-packages"], venv],
                        new Dictionary<string, string?> { ["PYTHONDONTWRITEBYTECODE"] = "1" });
                    Assert.True(made.ExitCode == 0, $"venv: {made.StderrText}");
                    return (Path.Combine(venv, "bin", "python"), [venv, copy.Prefix], copy.MajorMinor);
                }
            case "conda-like":
                {
                    // Not conda's own interpreter (none is installed here): an interpreter copy at its own prefix, as a
                    // conda environment is one, with conda's conda-meta/ and history, run as bin/python.
                    var copy = WithSiteCustomize(InterpreterCopy.Create(interpreter, dir.Combine("conda")));
                    CondaMeta.WriteHistory(copy.Prefix, CondaMeta.Transaction("2024-04-29 10:11:12", $"conda create -p {copy.Prefix} python={copy.MajorMinor}", ["python-3.11.2-h2755cc3_0_cpython"]));
                    return (Path.Combine(copy.Prefix, "bin", "python"), [copy.Prefix], copy.MajorMinor);
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(environment), environment, null);
        }
    }

    private static InterpreterCopy WithSiteCustomize(InterpreterCopy copy)
    {
        File.WriteAllText(Path.Combine(copy.StandardLibrary, "sitecustomize.py"), SiteCustomize);
        return copy;
    }

    private static int Count(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
