using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.EndToEnd.Tests;

/// <summary>Modules the interpreter loaded at start-up because of a .pth file travel marked as start-up ones, from
/// Debian's <c>/usr/bin/python3</c> through the real AOT daemon into the batch it ships, whichever way the hook was
/// loaded: installed as a .pth file (<c>install-hook</c>) or through <c>polaris-agent run</c>.</summary>
/// <remarks>The batches are read from the spool, as the shipper would post them, with the collector's own reader
/// (<see cref="BatchCodec.Decode"/>, which refuses a count past its module's processes): the daemon ships to an
/// address where no collector listens, so they stay there.</remarks>
public sealed class StartupModuleTests : IDisposable
{
    private const int Runs = 2;

    // Debian's python3-setuptools: its .pth loads _distutils_hack into every process of the interpreter.
    private const string DistutilsPth = "/usr/lib/python3/dist-packages/distutils-precedence.pth";

    private readonly TempDirectory _dir = new("polaris-startup");
    private readonly AgentDaemon _daemon;

    public StartupModuleTests()
    {
        // Port 1: nothing listens, so every batch stays in the spool.
        _daemon = AgentDaemon.Start(_dir.Path, new Uri("http://127.0.0.1:1/"));
        // The program: the standard library and a package beside the script, then (again.py) the package a .pth
        // file loaded at start-up, imported again, and a submodule of it that start-up did not load.
        var work = Directory.CreateDirectory(_dir.Combine("work")).FullName;
        PythonPackage.Create(work, "mypkg");
        File.WriteAllText(Path.Combine(work, "prog.py"), "import json\nimport mypkg\n");
        File.WriteAllText(Path.Combine(work, "again.py"), "import json\nimport mypkg\nimport pthpkg\nimport pthpkg.extra\nassert pthpkg.core\n");
    }

    /// <summary>A venv of Debian's interpreter that sees the system's dist-packages, with a .pth file of its own that
    /// imports <c>pthpkg</c> (and through it <c>pthpkg.core</c>) at start-up.</summary>
    private string Environment(string name)
    {
        var prefix = _dir.Combine(name);
        var sitePackages = VirtualEnvironment.Create(prefix, systemSitePackages: true);
        File.WriteAllText(PythonPackage.Create(sitePackages, "pthpkg"), "from . import core\n");
        File.WriteAllText(Path.Combine(sitePackages, "pthpkg", "core.py"), "");
        File.WriteAllText(Path.Combine(sitePackages, "pthpkg", "extra.py"), "");
        File.WriteAllText(Path.Combine(sitePackages, "pthpkg.pth"), "import pthpkg\n");
        return prefix;
    }

    [Fact]
    public void With_the_hook_installed_as_a_pth_file_the_modules_other_pth_files_load_are_start_up_ones()
    {
        // 00-polaris-agent.pth sorts before pthpkg.pth, and the venv's site-packages come before the system's: both
        // .pth files import while site is still initialising, after the hook loaded.
        var prefix = Environment("venv-pth");
        var install = CommandResult.Run(AgentBinary.FilePath, TestHookRegistry.Args("install-hook", "--prefix", prefix));
        Assert.True(install.ExitCode == 0, install.StderrText);
        var variables = new Dictionary<string, string?> { ["POLARIS_AGENT_DROP"] = _daemon.Drop };

        RunScripts(script => CommandResult.Run(VirtualEnvironment.Python(prefix), [script], variables, _dir.Combine("work")));

        CheckStartupModules(prefix);
    }

    [Fact]
    public void Through_polaris_agent_run_the_modules_pth_files_load_are_start_up_ones()
    {
        // The hook comes as sitecustomize, after every .pth file: their modules are among those loaded before it.
        var prefix = Environment("venv-run");

        RunScripts(script => _daemon.Run([VirtualEnvironment.Python(prefix), script], workingDirectory: _dir.Combine("work")));

        CheckStartupModules(prefix);
    }

    [Fact]
    public void A_hook_a_program_loads_after_start_up_marks_none_of_the_modules_before_it()
    {
        // site.addsitedir reaches a folder where the hook is installed: it installs mid-program, and what was loaded
        // before it (json among them) is the program's, not the interpreter's start-up.
        var late = Directory.CreateDirectory(_dir.Combine("late")).FullName;
        File.Copy(Path.Combine(AgentBinary.Directory, "hook", "sitecustomize.py"), Path.Combine(late, "_polaris_hook.py"));
        File.WriteAllText(Path.Combine(late, "00-polaris-agent.pth"), "import _polaris_hook\n");
        var script = _dir.Combine("work", "late.py");
        File.WriteAllText(script, $"import json, site\nsite.addsitedir('{late}')\nimport csv\n");
        var variables = new Dictionary<string, string?> { ["POLARIS_AGENT_DROP"] = _daemon.Drop };

        var result = CommandResult.Run(RepoPaths.Python, [script], variables, _dir.Combine("work"));

        Assert.True(result.ExitCode == 0, result.StderrText);
        var modules = ShippedModules("/usr", "late.py", processes: 1);
        Assert.Equal((1, 0), modules["json"]);
        Assert.Equal((1, 0), modules["csv"]);
        Assert.All(modules, m => Assert.Equal(0, m.Value.Startup));
    }

    private void RunScripts(Func<string, CommandResult> run)
    {
        foreach (var script in new[] { "prog.py", "again.py" })
        {
            for (int i = 0; i < Runs; i++)
            {
                var result = run(_dir.Combine("work", script));
                Assert.True(result.ExitCode == 0, $"{script}: {result.StderrText}");
                Assert.Empty(result.Stderr);
            }
        }
    }

    private void CheckStartupModules(string prefix)
    {
        var prog = ShippedModules(prefix, "prog.py");
        var again = ShippedModules(prefix, "again.py");
        foreach (var modules in new[] { prog, again })
        {
            Assert.Equal((Runs, Runs), modules["pthpkg"]);
            Assert.Equal((Runs, Runs), modules["pthpkg.core"]);
            Assert.Equal((Runs, 0), modules["mypkg"]);
            Assert.Equal((Runs, 0), modules["json"]);
            if (File.Exists(DistutilsPth))
            {
                Assert.Equal((Runs, Runs), modules["_distutils_hack"]);
            }
        }
        // Imported again by the program, pthpkg passed through no import (it was in sys.modules): it stays a start-up
        // module only. The submodule start-up did not load is the program's.
        Assert.Equal((Runs, 0), again["pthpkg.extra"]);
        Assert.False(prog.ContainsKey("pthpkg.extra"));
    }

    /// <summary>Per module name, the processes and start-up processes of the summaries the daemon spooled for the
    /// script in the environment, once all its runs are in.</summary>
    private Dictionary<string, (int Processes, int Startup)> ShippedModules(string prefix, string script, int processes = Runs)
    {
        var path = _dir.Combine("work", script);
        ProcessSummary[] summaries = [];
        _daemon.Process.WaitUntil(
            () => (summaries = Spooled().Where(s => s.Environment.Prefix == prefix && s.Job.Script == path).ToArray()).Sum(s => s.Processes) >= processes,
            $"the summaries of {processes} runs of {script} in {prefix}");
        Assert.Equal(processes, summaries.Sum(s => s.Processes));
        return summaries.SelectMany(s => s.Modules).GroupBy(m => m.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.Sum(m => m.Processes), g.Sum(m => m.StartupProcesses)), StringComparer.Ordinal);
    }

    private ProcessSummary[] Spooled() =>
        Directory.GetFiles(_daemon.Spool, "*.batch", SearchOption.AllDirectories).SelectMany(Summaries).ToArray();

    private static IReadOnlyList<ProcessSummary> Summaries(string batch)
    {
        try
        {
            return BatchCodec.Decode(File.ReadAllBytes(batch)).Summaries;
        }
        catch (FileNotFoundException)
        {
            return []; // set aside (deferred/) between the listing and the read: found there next time
        }
    }

    public void Dispose()
    {
        _daemon.Dispose();
        _dir.Dispose();
    }
}
