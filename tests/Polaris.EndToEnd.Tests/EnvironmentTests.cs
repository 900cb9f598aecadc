using System.Text.Json;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A real Python process, run through the real agent, daemon and collector, is stored with its environment
/// analysed: kind, name, and what it adds to, removes from and changes in the facility's base conda environment.</summary>
/// <remarks>Each conda environment here is a venv (for a real interpreter) with a <c>conda-meta/</c> folder added:
/// the daemon takes <c>conda-meta/</c> before <c>pyvenv.cfg</c>, so these count as conda environments, as they should.</remarks>
public class EnvironmentTests(CondaEnvironments conda) : IClassFixture<CondaEnvironments>
{
    [Fact]
    public void A_process_of_the_base_python_is_in_base_and_its_modules_are_base_env()
    {
        var record = Stored(VirtualEnvironment.Python(conda.Base), "import numpy");

        var environment = record.Environment();
        Assert.Equal(conda.Base, environment.Text("prefix"));
        Assert.Equal("base", environment.Text("kind"));
        Assert.Equal("base", environment.Text("name"));
        Assert.Equal("base-env", record.Origin("numpy"));
        Assert.Equal("1.26.4", record.Module("numpy").GetProperty("version").GetString());
        Assert.Empty(environment.Texts("added"));
        Assert.Empty(environment.Texts("removed"));
        Assert.Empty(environment.Texts("changed"));
        Assert.Empty(environment.Texts("pip"));
    }

    [Fact]
    public void A_clone_of_base_is_base_clone_with_exactly_the_packages_it_added_removed_and_changed()
    {
        var clone = Path.Combine(conda.Node.Folder, "envs", "myclone");
        string[] installed = ["numpy-2.0.0-py311h1461c94_0", "pytorch-2.3.0-cpu_py311h1c9f6e7_0"];
        var history =
            CondaMeta.Transaction("2024-05-02 09:00:01", $"{conda.Base}/bin/conda create --clone {conda.Base} -p {clone}", CondaEnvironments.BasePackages) +
            CondaMeta.Transaction("2024-05-02 09:14:27", $"{conda.Base}/bin/conda install -p {clone} numpy=2.0.0 pytorch", installed, ["numpy-1.26.4-py311h64a7726_0"]) +
            CondaMeta.Transaction("2024-05-03 16:40:00", $"{conda.Base}/bin/conda remove -p {clone} scipy", [], ["scipy-1.13.0-py311h517d4fd_1"]);
        var sitePackages = CondaEnvironments.Create(clone,
            ["python-3.11.2-h2755cc3_0_cpython", "pyyaml-6.0.1-py311h459d7ec_1", .. installed], history);
        // The user's own pip install, beside conda's numpy (whose dist-info says pip too).
        PythonPackage.Create(sitePackages, "mylocal", "0.3");
        PythonPackage.CreateDistInfo(sitePackages, "mylocal", "0.3", "pip");

        var record = Stored(VirtualEnvironment.Python(clone), "import numpy, mylocal");

        var environment = record.Environment();
        Assert.Equal("base-clone", environment.Text("kind"));
        Assert.Equal("myclone", environment.Text("name"));
        Assert.Equal(["pytorch=2.3.0=cpu_py311h1c9f6e7_0"], environment.Texts("added"));
        Assert.Equal(["scipy=1.13.0=py311h517d4fd_1"], environment.Texts("removed"));
        Assert.Equal(["numpy: 1.26.4 py311h64a7726_0 -> 2.0.0 py311h1461c94_0"], environment.Texts("changed"));
        Assert.Equal(["mylocal==0.3"], environment.Texts("pip"));
        Assert.Equal("custom-env", record.Origin("numpy"));
        Assert.Equal("2.0.0", record.Module("numpy").GetProperty("version").GetString());
        Assert.Equal("custom-env", record.Origin("mylocal"));
    }

    [Fact]
    public void An_environment_created_apart_from_base_is_conda_and_its_modules_are_custom_env()
    {
        var custom = Path.Combine(conda.Node.Folder, "envs", "mytorch");
        string[] packages = ["python-3.11.2-h2755cc3_0_cpython", "pytorch-2.3.0-cpu_py311h1c9f6e7_0"];
        var sitePackages = CondaEnvironments.Create(custom, packages,
            CondaMeta.Transaction("2024-05-06 11:22:33", $"/soft/conda/bin/conda create -p {custom} python=3.11 pytorch", packages));
        PythonPackage.Create(sitePackages, "torch", "2.3.0");

        var record = Stored(VirtualEnvironment.Python(custom), "import torch");

        var environment = record.Environment();
        Assert.Equal("conda", environment.Text("kind"));
        Assert.Equal("mytorch", environment.Text("name"));
        Assert.Equal("custom-env", record.Origin("torch"));
        Assert.Equal(["pytorch=2.3.0=cpu_py311h1c9f6e7_0"], environment.Texts("added"));
        Assert.Equal(["numpy=1.26.4=py311h64a7726_0", "pyyaml=6.0.1=py311h459d7ec_1", "scipy=1.13.0=py311h517d4fd_1"], environment.Texts("removed"));
        Assert.Empty(environment.Texts("changed"));
        Assert.Empty(environment.Texts("pip"));
    }

    [Fact]
    public void Debian_python_is_the_system_python()
    {
        var record = Stored(RepoPaths.Python, "import yaml");

        Assert.Equal("system", record.Environment().Text("kind"));
        Assert.Equal("system", record.Environment().Text("name"));
        Assert.Equal("/usr", record.Environment().Text("prefix"));
        Assert.Equal("system", record.Origin("yaml"));
    }

    private JsonElement Stored(string python, string code)
    {
        var run = conda.Node.Daemon.Run([python, "-c", code], workingDirectory: conda.Node.Folder);
        Assert.True(run.ExitCode == 0, run.StderrText);
        return conda.Node.Collector.WaitForProcess(run.Pid);
    }
}
