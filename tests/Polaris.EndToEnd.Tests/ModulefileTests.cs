using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>The modulefiles of agent/modulefiles with the real tools, Debian's Lmod and Environment Modules, in bash
/// and tcsh, laid out as the package installs them (the .lua and the Tcl file in one folder): loading puts the hook
/// into every Python the shell starts and prints nothing; unloading stops it and gives PYTHONPATH back as it was; a
/// site's default modules load it at every login.</summary>
public class ModulefileTests
{
    public static TheoryData<string, string> ToolsAndShells
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var tool in new[] { ModuleSystems.Lmod, ModuleSystems.EnvironmentModules })
            {
                foreach (var shell in ModuleShell.Shells)
                {
                    data.Add(tool, shell);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ToolsAndShells))]
    public void Loaded_every_Python_is_recorded_unloaded_none_and_PYTHONPATH_is_as_it_was(string tool, string shell)
    {
        using var node = new NodeUnderTest();
        using var dir = new TempDirectory("polaris-modules");
        var modulefiles = ModulefileFolder.Create(dir.Combine("modulefiles"));
        var modules = ModuleSystems.Open(tool, dir.Combine(tool));
        string[] script =
        [
            ModuleShell.Source(shell, modules.InitScript(shell)),
            $"module use '{modulefiles.Path}'",
            ModuleShell.PrintPythonPath(shell, "before"),
            "module load polaris-agent",
            ModuleShell.PrintPythonPath(shell, "loaded"),
            "/usr/bin/printenv _LMFILES_",
            ModuleShell.PythonPrintingItsPid,
            "module unload polaris-agent",
            ModuleShell.PrintPythonPath(shell, "unloaded"),
            ModuleShell.PythonPrintingItsPid,
        ];
        var hook = ModulefileFolder.Hook;
        // Empty is as unset to CPython: the hook alone goes on it, never "HOOK:" (whose empty entry is the working
        // folder), and unloading leaves it unset.
        var cases = new (string? Before, string Loaded, string? After)[]
        {
            (null, hook, null),
            ("/a b:/c", hook + ":/a b:/c", "/a b:/c"),
            ("", hook, null),
        };
        var recorded = new List<int>();
        var unrecorded = new List<int>();

        foreach (var (before, loaded, after) in cases)
        {
            var result = ModuleShell.Run(shell, script, dir.Path,
                new Dictionary<string, string?> { ["PYTHONPATH"] = before, ["POLARIS_AGENT_DROP"] = node.Daemon.Drop });

            Assert.True(result.ExitCode == 0 && result.Stderr.Length == 0, $"exit {result.ExitCode}: {result.StderrText}");
            var lines = result.StdoutText.Split('\n');
            // The script's own lines and nothing else: loading and unloading print nothing. Lmod reads the .lua file,
            // Environment Modules the Tcl one beside it.
            Assert.True(lines.Length == 7, result.StdoutText);
            Assert.Equal(ModuleShell.PythonPathLine("before", before), lines[0]);
            Assert.Equal(ModuleShell.PythonPathLine("loaded", loaded), lines[1]);
            Assert.Equal(tool == ModuleSystems.Lmod ? modulefiles.LuaFile : modulefiles.TclFile, lines[2]);
            Assert.Equal(ModuleShell.PythonPathLine("unloaded", after), lines[4]);
            recorded.Add(int.Parse(lines[3], System.Globalization.CultureInfo.InvariantCulture));
            unrecorded.Add(int.Parse(lines[5], System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var pid in recorded)
        {
            Assert.Contains("json", node.Collector.WaitForProcess(pid).ModuleNames());
        }
        // A process run through the agent after them all is stored: a record of the unloaded ones would be in by now.
        var last = node.Daemon.Run([RepoPaths.Python, "-c", "import csv"]);
        node.Collector.WaitForProcess(last.Pid);
        Assert.DoesNotContain(node.Collector.StoredPids(), unrecorded.Contains);
        Assert.Equal(recorded.Count + 1, node.Daemon.Counters()["received"]);
    }

    [Theory]
    [MemberData(nameof(ToolsAndShells))]
    public void A_site_s_default_modules_load_it_at_every_login_quietly(string tool, string shell)
    {
        using var node = new NodeUnderTest();
        using var dir = new TempDirectory("polaris-modules");
        var modulefiles = ModulefileFolder.Create(dir.Combine("modulefiles"));
        var modules = ModuleSystems.Open(tool, dir.Combine(tool));
        var variables = new Dictionary<string, string?> { ["POLARIS_AGENT_DROP"] = node.Daemon.Drop };
        var script = new List<string> { ModuleShell.Source(shell, modules.InitScript(shell)) };
        if (modules is EnvironmentModulesCopy copy)
        {
            File.AppendAllText(copy.InitRc, "\n" + SiteDefaultModules.EnvironmentModulesInitRc.Replace("/usr/share/modulefiles", modulefiles.Path, StringComparison.Ordinal) + "\n");
        }
        else
        {
            // The site's MODULEPATH holds the package's folder (RHEL's Lmod lists /usr/share/modulefiles), and its
            // profile.d script runs after Lmod's.
            variables["MODULEPATH"] = modulefiles.Path;
            var profile = dir.Combine(shell == "bash" ? "z00_StdEnv.sh" : "z00_StdEnv.csh");
            File.WriteAllText(profile, (shell == "bash" ? SiteDefaultModules.LmodProfileSh : SiteDefaultModules.LmodProfileCsh) + "\n");
            script.Add(ModuleShell.Source(shell, profile));
        }
        script.Add(ModuleShell.PrintPythonPath(shell, "login"));
        script.Add(ModuleShell.PythonPrintingItsPid);

        var result = ModuleShell.Run(shell, script, dir.Path, variables);

        Assert.True(result.ExitCode == 0 && result.Stderr.Length == 0, $"exit {result.ExitCode}: {result.StderrText}");
        var lines = result.StdoutText.Split('\n');
        Assert.True(lines.Length == 3, result.StdoutText);
        Assert.Equal(ModuleShell.PythonPathLine("login", ModulefileFolder.Hook), lines[0]);
        var pid = int.Parse(lines[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("json", node.Collector.WaitForProcess(pid).ModuleNames());
    }
}
