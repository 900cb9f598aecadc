using Polaris.Agent.Serve.Enrich;
using Polaris.Wire;

namespace Polaris.Agent.Tests.Enrich;

public sealed class EnvironmentAnalyzerTests : IDisposable
{
    private readonly FakeFacility _facility = new();

    public void Dispose() => _facility.Dispose();

    private PythonEnvironment Analyze(string prefix, string? basePrefix = null, string python = FakeFacility.Python, EnrichOptions? options = null, IReadOnlyList<string>? pythonPath = null)
    {
        var analyzer = new EnvironmentAnalyzer(options ?? _facility.Options);
        var raw = new PythonEnvironment { Implementation = "cpython", Prefix = prefix, BasePrefix = basePrefix ?? prefix };
        return analyzer.Analyze(raw, python, pythonPath ?? []);
    }

    private static CondaPackage Package(CondaRecord r, string channel = "conda-forge") => new(r.Name, r.Version, r.Build, channel);

    [Fact]
    public void One_user_analysing_environment_after_environment_does_not_push_out_another_user_s_analysis()
    {
        var analyzer = new EnvironmentAnalyzer(_facility.Options, revalidateAfter: TimeSpan.FromMinutes(10));
        var alice = new PythonEnvironment { Implementation = "cpython", Prefix = _facility.Clone, BasePrefix = _facility.Clone };
        analyzer.Analyze(alice, FakeFacility.Python, [], FakeFacility.AliceUid);

        // Made-up prefixes cost next to nothing to analyse: within one's analysis time, one user could once fill the
        // cache and clear everyone's entries, whose environments were then read again against their own time.
        for (int i = 0; i < 2000; i++)
        {
            var made = new PythonEnvironment { Implementation = "cpython", Prefix = $"/tmp/made-up-{i}", BasePrefix = $"/tmp/made-up-{i}" };
            analyzer.Analyze(made, FakeFacility.Python, [], 666);
        }

        Assert.True(analyzer.TryAnalyze(alice, FakeFacility.Python, [], FakeFacility.AliceUid, mayRead: false, out var known));
        Assert.Equal(EnvironmentKind.BaseClone, known.Kind);
    }

    [Fact]
    public void The_base_environment_is_base_with_no_changes()
    {
        var environment = Analyze(_facility.Base + "/");

        Assert.Equal(EnvironmentKind.BaseEnv, environment.Kind);
        Assert.Equal("base", environment.Name);
        Assert.True(environment.Changes.IsEmpty, "the facility's own pip installs (mpi4py) are part of base");
        Assert.Equal("cpython", environment.Implementation);
    }

    [Fact]
    public void A_clone_reports_what_was_changed_added_removed_and_pip_installed()
    {
        var environment = Analyze(_facility.Clone);

        Assert.Equal(EnvironmentKind.BaseClone, environment.Kind);
        Assert.Equal("myclone", environment.Name);
        Assert.Equal([Package(FakeFacility.Torch)], environment.Changes.CondaAdded);
        Assert.Equal([Package(FakeFacility.Pandas)], environment.Changes.CondaRemoved);
        Assert.Equal([new PackageChange("numpy", "1.26.4 py311h64a7726_0", "2.0.0 py311h1461c94_0")], environment.Changes.CondaChanged);
        Assert.Equal([new PipPackage("requests", "2.31.0")], environment.Changes.PipInstalled);
    }

    [Fact]
    public void A_custom_conda_env_is_compared_with_the_first_base()
    {
        var environment = Analyze(_facility.Custom, python: "3.12.3");

        Assert.Equal(EnvironmentKind.CondaEnv, environment.Kind);
        Assert.Equal("myenv", environment.Name);
        Assert.Equal([Package(FakeFacility.Torch)], environment.Changes.CondaAdded);
        Assert.Equal(
            [Package(FakeFacility.Numpy), Package(FakeFacility.Pandas), Package(FakeFacility.Scipy, channel: "pkgs/main")],
            environment.Changes.CondaRemoved);
        Assert.Equal([new PackageChange("python", "3.11.9 hb806964_0_cpython", "3.12.3 hab00c5b_0_cpython")], environment.Changes.CondaChanged);
        Assert.Empty(environment.Changes.PipInstalled);
    }

    [Fact]
    public void Without_a_configured_base_conda_changes_are_empty()
    {
        var environment = Analyze(_facility.Clone, options: _facility.Options with { BaseEnvironments = [] });

        Assert.Equal(EnvironmentKind.CondaEnv, environment.Kind);
        Assert.Empty(environment.Changes.CondaAdded);
        Assert.Empty(environment.Changes.CondaRemoved);
        Assert.Empty(environment.Changes.CondaChanged);
        Assert.Equal([new PipPackage("requests", "2.31.0")], environment.Changes.PipInstalled);
    }

    [Fact]
    public void A_clone_made_with_the_name_base_of_the_base_conda_is_a_clone()
    {
        var prefix = _facility.Path("lus/eagle/projects/climate/envs/byname");
        FakeFacility.WriteCondaEnv(prefix, FakeFacility.BasePackages, $"""
            ==> 2024-05-02 09:00:01 <==
            # cmd: {_facility.Base}/bin/conda create --prefix {prefix} --clone base
            +conda-forge/linux-64::python-3.11.9-hb806964_0_cpython

            """);

        Assert.Equal(EnvironmentKind.BaseClone, Analyze(prefix).Kind);
    }

    [Fact]
    public void An_env_whose_first_transaction_linked_all_of_base_is_a_clone()
    {
        var prefix = _facility.Path("home/alice/envs/fromspec");
        FakeFacility.WriteCondaEnv(prefix, FakeFacility.BasePackages.Append(FakeFacility.Torch), $"""
            ==> 2024-05-02 09:00:01 <==
            # cmd: /home/alice/miniforge3/bin/conda create -p {prefix} --file base-explicit.txt
            {string.Join("\n", FakeFacility.BasePackages.Select(p => "+" + p.Dist))}

            ==> 2024-05-02 09:10:00 <==
            # cmd: /home/alice/miniforge3/bin/conda install -p {prefix} pytorch
            +{FakeFacility.Torch.Dist}

            """);

        var environment = Analyze(prefix);

        Assert.Equal(EnvironmentKind.BaseClone, environment.Kind);
        Assert.Equal([Package(FakeFacility.Torch)], environment.Changes.CondaAdded);
        Assert.Empty(environment.Changes.CondaRemoved);
    }

    [Fact]
    public void A_venv_on_base_has_no_conda_changes_but_its_pip_packages_count()
    {
        var environment = Analyze(_facility.VenvOnBase, basePrefix: _facility.Base);

        Assert.Equal(EnvironmentKind.VenvOnBase, environment.Kind);
        Assert.Equal("onbase", environment.Name);
        Assert.Empty(environment.Changes.CondaAdded);
        Assert.Empty(environment.Changes.CondaRemoved);
        Assert.Empty(environment.Changes.CondaChanged);
        Assert.Equal([new PipPackage("pydantic", "2.7.1")], environment.Changes.PipInstalled);
    }

    [Fact]
    public void A_real_venv_on_system_python_is_a_venv_with_its_pip_packages()
    {
        var prefix = _facility.Path("venvs/plain");
        FakeFacility.MakeVenv(prefix);
        var seeded = Directory.GetDirectories(prefix + "/lib/python3.11/site-packages", "*.dist-info")
            .Select(d => DistInfo.FromFolderName(Path.GetFileName(d))).OrderBy(p => p.Name, StringComparer.Ordinal).ToArray();

        var environment = Analyze(prefix, basePrefix: "/usr");

        Assert.Equal(EnvironmentKind.Venv, environment.Kind);
        Assert.Equal("plain", environment.Name);
        Assert.Equal(seeded, environment.Changes.PipInstalled);
        Assert.Empty(environment.Changes.CondaAdded);
    }

    [Fact]
    public void A_real_venv_with_system_site_packages_reports_only_its_own_installs()
    {
        var prefix = _facility.Path("venvs/shared");
        FakeFacility.MakeVenv(prefix, systemSitePackages: true, withoutPip: true);
        FakeFacility.WriteDistInfo(prefix + "/lib/python3.11/site-packages", "xarray", "2024.3.0", "pip");
        FakeFacility.WriteDistInfo(prefix + "/lib/python3.11/site-packages", "polars", "0.20.23", "uv");

        var environment = Analyze(prefix, basePrefix: "/usr");

        Assert.Equal(EnvironmentKind.Venv, environment.Kind);
        Assert.Equal([new PipPackage("polars", "0.20.23"), new PipPackage("xarray", "2024.3.0")], environment.Changes.PipInstalled);
    }

    [Fact]
    public void System_python_and_other_installations()
    {
        var system = Analyze("/usr");
        Assert.Equal(EnvironmentKind.SystemPython, system.Kind);
        Assert.Equal("system", system.Name);

        var other = Analyze(_facility.Path("opt/python/3.12"));
        Assert.Equal(EnvironmentKind.Other, other.Kind);

        Assert.Equal(EnvironmentKind.Unknown, Analyze("").Kind);
    }

    [Fact]
    public void User_site_is_kept_and_python_path_is_what_the_caller_gave()
    {
        var analyzer = new EnvironmentAnalyzer(_facility.Options);
        var raw = new PythonEnvironment { Prefix = "/usr", BasePrefix = "/usr", Changes = new EnvironmentChanges { UserSite = "/home/alice/.local/lib/python3.11/site-packages" } };

        var environment = analyzer.Analyze(raw, FakeFacility.Python, ["/lus/eagle/projects/climate/lib"]);

        Assert.Equal("/home/alice/.local/lib/python3.11/site-packages", environment.Changes.UserSite);
        Assert.Equal(["/lus/eagle/projects/climate/lib"], environment.Changes.PythonPath);
    }

    [Fact]
    public void Analyses_are_cached_until_the_environment_changes_on_disk()
    {
        var analyzer = new EnvironmentAnalyzer(_facility.Options, revalidateAfter: TimeSpan.Zero);
        var raw = new PythonEnvironment { Prefix = _facility.Clone, BasePrefix = _facility.Clone };
        var first = analyzer.Analyze(raw, FakeFacility.Python, []);

        // A record file rewritten in place changes nothing conda-meta's time shows: the cached analysis stands.
        var numpyRecord = $"{_facility.Clone}/conda-meta/numpy-2.0.0-py311h1461c94_0.json";
        var stamp = Directory.GetLastWriteTimeUtc(_facility.Clone + "/conda-meta");
        File.WriteAllText(numpyRecord, "not json");
        Directory.SetLastWriteTimeUtc(_facility.Clone + "/conda-meta", stamp);
        Assert.Same(first.Changes.CondaAdded, analyzer.Analyze(raw, FakeFacility.Python, []).Changes.CondaAdded);

        // A package installed: conda-meta's time moves, and the analysis is made again.
        FakeFacility.WriteCondaRecord(_facility.Clone, new CondaRecord("h5py", "3.11.0", "nompi_py311h439e445_100", "https://conda.anaconda.org/conda-forge/linux-64", []));
        Directory.SetLastWriteTimeUtc(_facility.Clone + "/conda-meta", stamp.AddSeconds(5));
        var second = analyzer.Analyze(raw, FakeFacility.Python, []);

        Assert.Contains(second.Changes.CondaAdded, p => p.Name == "h5py");
    }

    [Fact]
    public void Malformed_and_unreadable_conda_records_are_skipped_without_throwing()
    {
        var prefix = _facility.Path("home/alice/envs/broken");
        FakeFacility.WriteCondaEnv(prefix, [FakeFacility.PythonEleven], "==> not a date <==\n+::\n-\n# cmd:\ngarbage\n");
        File.WriteAllText(prefix + "/conda-meta/truncated-1.0-0.json", """{"name": "truncated", "version": "1.""");
        File.WriteAllText(prefix + "/conda-meta/array-1.0-0.json", "[1, 2, 3]");
        File.WriteAllText(prefix + "/conda-meta/wrongtypes-1.0-0.json", """{"name": 5, "version": {"a": 1}, "files": "nope"}""");
        File.WriteAllBytes(prefix + "/conda-meta/binary-1.0-0.json", [0xff, 0xfe, 0x00, 0x01]);
        Directory.CreateDirectory(prefix + "/conda-meta/adirectory-1.0-0.json");
        File.CreateSymbolicLink(prefix + "/conda-meta/dangling-1.0-0.json", "/nonexistent/target.json");
        Assert.Equal(0, Mkfifo(prefix + "/conda-meta/fifo-1.0-0.json"));

        var environment = Analyze(prefix);

        Assert.Equal(EnvironmentKind.CondaEnv, environment.Kind);
        Assert.Equal([Package(FakeFacility.Numpy), Package(FakeFacility.Pandas), Package(FakeFacility.Scipy, channel: "pkgs/main")], environment.Changes.CondaRemoved);
        Assert.Empty(environment.Changes.CondaAdded);
    }

    [Fact]
    public void A_missing_prefix_is_other_and_does_not_throw()
    {
        var environment = Analyze(_facility.Path("gone/env"), basePrefix: _facility.Path("gone/base"));

        Assert.Equal(EnvironmentKind.Venv, environment.Kind);
        Assert.Empty(environment.Changes.PipInstalled);
        Assert.Equal(EnvironmentKind.Other, Analyze(_facility.Path("gone/env")).Kind);
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int mkfifo(string path, uint mode);

    private static int Mkfifo(string path) => mkfifo(path, 0x1b6);
}
