using System.Diagnostics;
using System.Text;
using Polaris.Agent.Serve.Enrich;
using Polaris.Testing;

namespace Polaris.Agent.Tests.Enrich;

/// <summary>A facility on disk in a temp folder, laid out with conda's and pip's real formats: a base conda
/// environment, a clone of it with changes, a custom conda env, venvs, a user home with a user site.</summary>
public sealed class FakeFacility : IDisposable
{
    public const uint AliceUid = 4242;
    public const string Python = "3.11.2";
    public const string Lib = "lib/python3.11/site-packages";

    private readonly TempDirectory _root = new("polaris-enrich");

    public FakeFacility()
    {
        Base = Path("soft/datascience/conda/2024-04-29");
        Home = Path("home/alice");
        Projects = Path("lus/eagle/projects");
        Clone = Projects + "/climate/envs/myclone";
        Custom = Home + "/envs/myenv";
        VenvOnBase = Home + "/venvs/onbase";
        UserBase = Path("pyuser");

        WriteCondaEnv(Base, BasePackages, $"""
            ==> 2024-04-29 10:11:12 <==
            # cmd: /soft/conda/bin/conda create -p {Base} python=3.11 numpy pandas scipy
            # conda version: 24.1.2
            {string.Join("\n", BasePackages.Select(p => "+" + p.Dist))}
            # update specs: ['python=3.11', 'numpy', 'pandas', 'scipy']

            """);
        // The facility pip-installed mpi4py into base: part of base, never reported as a user's change.
        WriteDistInfo(Base + "/" + Lib, "mpi4py", "3.1.6", "pip");

        // The clone: numpy upgraded, torch added, pandas removed, requests pip-installed.
        var clonePackages = BasePackages.Where(p => p.Name is not "pandas" and not "numpy")
            .Append(NumpyTwo).Append(Torch).ToArray();
        WriteCondaEnv(Clone, clonePackages, $"""
            ==> 2024-05-02 09:00:01 <==
            # cmd: /soft/datascience/conda/2024-04-29/bin/conda create -p {Clone} --clone {Base}
            # conda version: 24.1.2
            {string.Join("\n", BasePackages.Select(p => "+" + p.Dist))}
            # update specs: []

            ==> 2024-05-03 14:22:07 <==
            # cmd: /soft/datascience/conda/2024-04-29/bin/conda install -p {Clone} -c conda-forge numpy=2.0.0 pytorch
            # conda version: 24.1.2
            -conda-forge/linux-64::numpy-1.26.4-py311h64a7726_0
            +conda-forge/linux-64::numpy-2.0.0-py311h1461c94_0
            +conda-forge/linux-64::pytorch-2.3.0-cuda120_py311h4d2d0c6_300
            # update specs: ['numpy=2.0.0', 'pytorch']

            ==> 2024-05-04 08:00:00 <==
            # cmd: /soft/datascience/conda/2024-04-29/bin/conda remove -p {Clone} pandas
            # conda version: 24.1.2
            -conda-forge/linux-64::pandas-2.2.2-py311h14de704_0
            # remove specs: ['pandas']

            """);
        WriteDistInfo(Clone + "/" + Lib, "requests", "2.31.0", "pip");

        WriteCondaEnv(Custom, [PythonTwelve, Torch], $"""
            ==> 2024-06-01 12:00:00 <==
            # cmd: /home/alice/miniforge3/bin/conda create -n myenv python=3.12 pytorch
            # conda version: 24.3.0
            +{PythonTwelve.Dist}
            +{Torch.Dist}
            # update specs: ['python=3.12', 'pytorch']

            """);

        // A venv on the base interpreter, as `python -m venv` writes pyvenv.cfg.
        Directory.CreateDirectory(VenvOnBase + "/" + Lib);
        File.WriteAllText(VenvOnBase + "/pyvenv.cfg", $"home = {Base}/bin\ninclude-system-site-packages = true\nversion = 3.11.9\n");
        WriteDistInfo(VenvOnBase + "/" + Lib, "pydantic", "2.7.1", "pip");

        Directory.CreateDirectory(Home + "/.local/" + Lib);
        Directory.CreateDirectory(UserBase + "/" + Lib);
        // As on a real system, the environments are for everyone to read (the daemon reads an environment only as
        // far as the record's user may); the temporary folder is its creator's alone.
        File.SetUnixFileMode(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    public static CondaRecord PythonEleven { get; } = new("python", "3.11.9", "hb806964_0_cpython", "https://conda.anaconda.org/conda-forge/linux-64", []);
    public static CondaRecord PythonTwelve { get; } = new("python", "3.12.3", "hab00c5b_0_cpython", "https://conda.anaconda.org/conda-forge/linux-64", []);
    public static CondaRecord Numpy { get; } = new("numpy", "1.26.4", "py311h64a7726_0", "https://conda.anaconda.org/conda-forge/linux-64", ["numpy-1.26.4.dist-info"]);
    public static CondaRecord NumpyTwo { get; } = new("numpy", "2.0.0", "py311h1461c94_0", "https://conda.anaconda.org/conda-forge/linux-64", ["numpy-2.0.0.dist-info"]);
    public static CondaRecord Pandas { get; } = new("pandas", "2.2.2", "py311h14de704_0", "https://conda.anaconda.org/conda-forge/linux-64", ["pandas-2.2.2.dist-info"]);
    public static CondaRecord Scipy { get; } = new("scipy", "1.13.0", "py311h517d4fd_1", "https://repo.anaconda.com/pkgs/main/linux-64", ["scipy-1.13.0.dist-info"]);
    public static CondaRecord Torch { get; } = new("pytorch", "2.3.0", "cuda120_py311h4d2d0c6_300", "https://conda.anaconda.org/conda-forge/linux-64", ["torch-2.3.0.dist-info"]);
    public static CondaRecord[] BasePackages { get; } = [PythonEleven, Numpy, Pandas, Scipy];

    public string Root => _root.Path;
    public string Base { get; }
    public string Home { get; }
    public string Projects { get; }
    public string Clone { get; }
    public string Custom { get; }
    public string VenvOnBase { get; }
    public string UserBase { get; }

    public EnrichOptions Options => new()
    {
        HookDirectory = "/opt/polaris-agent/hook",
        BaseEnvironments = [Base],
        HomeRoots = [Path("home")],
        ProjectRoots = [Path("lus"), Projects],
        SystemPrefixes = EnrichOptions.DefaultSystemPrefixes,
    };

    /// <summary>Alice's home for her uid, nobody else's: what the passwd database would say.</summary>
    public string? LookUpHome(uint uid) => uid == AliceUid ? Home : null;

    public string Path(string relative) => _root.Combine(relative);

    /// <summary>Writes a file (and its folders) and returns its path.</summary>
    public static string Touch(string path, string text = "")
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A conda environment: one JSON record per package in conda-meta, its files on disk, the history.</summary>
    public static void WriteCondaEnv(string prefix, IEnumerable<CondaRecord> packages, string history)
    {
        Directory.CreateDirectory(prefix + "/conda-meta");
        Directory.CreateDirectory(prefix + "/bin");
        foreach (var package in packages)
        {
            WriteCondaRecord(prefix, package);
        }
        File.WriteAllText(prefix + "/conda-meta/history", history);
    }

    public static void WriteCondaRecord(string prefix, CondaRecord package)
    {
        var files = new List<string>();
        foreach (var distInfo in package.DistInfos)
        {
            files.Add($"{Lib}/{distInfo}/INSTALLER");
            files.Add($"{Lib}/{distInfo}/METADATA");
            files.Add($"{Lib}/{distInfo}/RECORD");
            var name = distInfo[..distInfo.IndexOf('-', StringComparison.Ordinal)];
            files.Add($"{Lib}/{name}/__init__.py");
            // Conda packages built with pip keep a dist-info; conda-build writes INSTALLER = conda.
            WriteDistInfo(prefix + "/" + Lib, name, package.Version, "conda");
            Touch($"{prefix}/{Lib}/{name}/__init__.py");
        }
        if (package.Name == "python")
        {
            files.Add("bin/python3.11");
        }
        var json = new StringBuilder();
        json.Append($$"""
            {
              "arch": "x86_64",
              "build": "{{package.Build}}",
              "build_number": 0,
              "channel": "{{package.Channel}}",
              "constrains": [],
              "depends": ["libgcc-ng >=12", "python >=3.11,<3.12.0a0"],
              "extracted_package_dir": "/soft/conda/pkgs/{{package.Name}}-{{package.Version}}-{{package.Build}}",
              "files": [{{string.Join(", ", files.Select(f => $"\"{f}\""))}}],
              "fn": "{{package.Name}}-{{package.Version}}-{{package.Build}}.conda",
              "license": "BSD-3-Clause",
              "link": {"source": "/soft/conda/pkgs/{{package.Name}}-{{package.Version}}-{{package.Build}}", "type": 1},
              "md5": "8b5a4ae8a6b1a5e3a4e2b8f8d1c0e7a1",
              "name": "{{package.Name}}",
              "paths_data": {"paths": [{"_path": "{{(files.Count > 0 ? files[0] : "x")}}", "path_type": "hardlink", "size_in_bytes": 4}], "paths_version": 1},
              "requested_spec": "{{package.Name}}",
              "size": 8065890,
              "subdir": "linux-64",
              "timestamp": 1707225412,
              "url": "{{package.Channel}}/{{package.Name}}-{{package.Version}}-{{package.Build}}.conda",
              "version": "{{package.Version}}"
            }
            """);
        File.WriteAllText($"{prefix}/conda-meta/{package.Name}-{package.Version}-{package.Build}.json", json.ToString());
    }

    /// <summary>A dist-info as pip writes it: METADATA headers, INSTALLER, RECORD.</summary>
    public static void WriteDistInfo(string sitePackages, string name, string version, string installer)
    {
        var folder = $"{sitePackages}/{name}-{version}.dist-info";
        Directory.CreateDirectory(folder);
        File.WriteAllText(folder + "/METADATA", $"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: a package\n\nLong description: Version: 0.0.0\n");
        File.WriteAllText(folder + "/INSTALLER", installer + "\n");
        File.WriteAllText(folder + "/RECORD", "");
    }

    /// <summary>Runs Debian's <c>python3 -m venv</c>; without pip when ensurepip is missing or when asked.</summary>
    public static void MakeVenv(string dir, bool systemSitePackages = false, bool withoutPip = false)
    {
        var flags = (systemSitePackages ? " --system-site-packages" : "") + (withoutPip ? " --without-pip" : "");
        if (!Run($"-m venv{flags} {dir}") && !withoutPip)
        {
            Assert.True(Run($"-m venv{flags} --without-pip {dir}"), "python3 -m venv failed");
        }
    }

    private static bool Run(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    public void Dispose() => _root.Dispose();
}
