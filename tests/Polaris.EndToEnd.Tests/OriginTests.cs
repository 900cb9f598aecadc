using System.Text.Json;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A real Python process, run through the real agent, daemon and collector, is stored with the origin of
/// every module it imported: the daemon's enrich stage against a facility's file systems laid out on disk.</summary>
public class OriginTests(FacilityFileSystems site) : IClassFixture<FacilityFileSystems>
{
    [Fact]
    public void Packages_on_PYTHONPATH_are_home_or_project_by_the_configured_roots_and_PYTHONPATH_is_reported_without_the_hook()
    {
        var homeLib = Path.Combine(site.Home, "lib");
        var projectLib = Path.Combine(site.Project, "lib");
        PythonPackage.Create(homeLib, "mypkg");
        PythonPackage.Create(projectLib, "climkit");

        var record = Stored(RepoPaths.Python, ["-c", "import mypkg, climkit, json"],
            new() { ["PYTHONPATH"] = $"{homeLib}:{projectLib}" });

        Assert.Equal("home", record.Origin("mypkg"));
        Assert.Equal("project", record.Origin("climkit"));
        Assert.Equal("system", record.Origin("json"));
        Assert.Equal([homeLib, projectLib], record.Environment().Texts("pypath"));
        // The hook's folder was on the process's PYTHONPATH, first: the daemon left it out of pypath, not the hook.
        var hookFolder = record.Variable("PYTHONPATH").Split(':')[0];
        Assert.NotEqual(homeLib, hookFolder);
        Assert.True(File.Exists(Path.Combine(hookFolder, "sitecustomize.py")), hookFolder);
    }

    [Fact]
    public void A_package_in_the_user_site_is_user_site_though_it_lies_in_the_home_and_the_user_site_is_reported()
    {
        // On an HPC system the user base is ~/.local, inside the home: the longer prefix, the user site, wins.
        var userBase = Path.Combine(site.Home, ".local");
        var userSite = PythonPackage.SitePackages(userBase);
        PythonPackage.Create(userSite, "usrpkg");

        var record = Stored(RepoPaths.Python, ["-c", "import usrpkg"], new() { ["PYTHONUSERBASE"] = userBase });

        Assert.Equal("user-site", record.Origin("usrpkg"));
        Assert.Equal(userSite, record.Environment().Text("usersite"));
        Assert.Equal("system", record.Environment().Text("kind"));
    }

    [Fact]
    public void A_module_beside_the_script_in_the_working_directory_is_cwd_and_the_standard_library_is_system()
    {
        File.WriteAllText(Path.Combine(site.WorkingDirectory, "cwdhelper.py"), "");
        var script = Path.Combine(site.WorkingDirectory, "run_model.py");
        File.WriteAllText(script, "import cwdhelper\nimport json, csv\n");

        var record = Stored(RepoPaths.Python, ["run_model.py"], workingDirectory: site.WorkingDirectory);

        Assert.Equal("cwd", record.Origin("cwdhelper"));
        Assert.Equal("system", record.Origin("json"));
        Assert.Equal("system", record.Origin("csv"));
        Assert.Equal(script, record.Job().Text("script"));
        Assert.Equal(site.WorkingDirectory, record.OnlyMember().Text("cwd"));
    }

    [Fact]
    public void The_main_script_in_the_working_directory_is_cwd()
    {
        var script = Path.Combine(site.WorkingDirectory, "main_probe.py");
        File.WriteAllText(script, "import json\n");

        var record = Stored(RepoPaths.Python, ["main_probe.py"], workingDirectory: site.WorkingDirectory);

        Assert.Equal(script, record.Module("__main__").GetProperty("file").GetString());
        Assert.Equal("cwd", record.Origin("__main__"));
    }

    [Fact]
    public void A_module_in_a_venv_in_the_home_is_venv_and_the_venv_is_named_after_its_folder_with_its_pip_installs()
    {
        var venv = Path.Combine(site.Home, "envs", "cfd-venv");
        var sitePackages = VirtualEnvironment.Create(venv);
        PythonPackage.Create(sitePackages, "meshtools", "2.1");
        PythonPackage.CreateDistInfo(sitePackages, "meshtools", "2.1", "pip");

        var record = Stored(VirtualEnvironment.Python(venv), ["-c", "import meshtools, json"]);

        Assert.Equal("venv", record.Origin("meshtools"));
        Assert.Equal("system", record.Origin("json"));
        var environment = record.Environment();
        Assert.Equal(venv, environment.Text("prefix"));
        Assert.Equal("/usr", environment.Text("base"));
        Assert.Equal("venv", environment.Text("kind"));
        Assert.Equal("cfd-venv", environment.Text("name"));
        Assert.Equal(["meshtools==2.1"], environment.Texts("pip"));
        Assert.Empty(environment.Texts("added"));
    }

    [Fact]
    public void A_venv_with_system_site_packages_in_a_project_loads_numpy_from_the_system()
    {
        var venv = Path.Combine(site.Project, "envs", "shared");
        var sitePackages = VirtualEnvironment.Create(venv, systemSitePackages: true);
        PythonPackage.Create(sitePackages, "climdata");

        var record = Stored(VirtualEnvironment.Python(venv), ["-c", "import numpy, climdata"]);

        Assert.StartsWith("/usr/lib/python3/dist-packages/numpy/", record.Module("numpy").GetProperty("file").GetString(), StringComparison.Ordinal);
        Assert.Equal("system", record.Origin("numpy"));
        Assert.Equal("venv", record.Origin("climdata"));
        Assert.Equal("venv", record.Environment().Text("kind"));
        Assert.Equal("shared", record.Environment().Text("name"));
        Assert.Empty(record.Environment().Texts("pip"));
    }

    private JsonElement Stored(string python, string[] arguments, Dictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var run = site.Node.Daemon.Run([python, .. arguments], environment, workingDirectory ?? site.WorkingDirectory);
        Assert.True(run.ExitCode == 0, run.StderrText);
        return site.Node.Collector.WaitForProcess(run.Pid);
    }
}
