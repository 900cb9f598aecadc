using Polaris.Collector.Bench.Year;

namespace Polaris.Collector.Bench.Xalt;

/// <summary>The site an XALT corpus is generated for: Polaris-like node names, users in projects with their
/// environments, the standard library's top-level modules (most of XALT's pkg records, as in the real records of
/// ../shared/fixtures) and third-party libraries ranked by a Zipf law. The same seed gives the same site.</summary>
internal sealed class XaltSite
{
    /// <summary>The facility's base conda environment.</summary>
    public const string BasePrefix = "/soft/datascience/conda/2025-09-25";

    // Top-level modules as XALT's pkg records name them, in the order the fixtures' runs import them most.
    public static readonly string[] StandardModules =
    [
        "weakref", "base64", "urllib", "bisect", "linecache", "ipaddress", "tokenize", "random", "struct", "pathlib", "token",
        "textwrap", "datetime", "fnmatch", "numbers", "ctypes", "hmac", "dis", "contextvars", "inspect", "pickle", "ast",
        "opcode", "hashlib", "secrets", "json", "copy", "typing", "lzma", "bz2", "shutil", "platform", "logging", "string",
        "traceback", "tempfile", "dataclasses", "gettext", "argparse", "pprint", "sysconfig", "gzip", "tarfile", "socket",
        "zipfile", "calendar", "difflib", "heapq", "decimal", "timeit", "csv", "mmap", "uuid", "unittest", "zoneinfo",
        "http", "email", "ssl", "glob", "multiprocessing", "queue", "quopri", "xml", "html", "pkgutil", "pydoc",
        "concurrent", "plistlib", "getopt", "resource", "configparser", "fractions", "asyncio", "signal", "subprocess",
    ];

    // Packages among them (a folder with __init__.py) and extension modules (lib-dynload); the rest are .py files.
    private static readonly HashSet<string> StandardPackages = new(StringComparer.Ordinal)
    {
        "urllib", "ctypes", "json", "logging", "unittest", "zoneinfo", "http", "email", "multiprocessing", "xml", "html",
        "concurrent", "asyncio",
    };

    private static readonly HashSet<string> StandardExtensions = new(StringComparer.Ordinal) { "mmap", "resource" };

    private static readonly string[] KnownLibraries =
    [
        "numpy", "yaml", "zstandard", "cryptography", "PIL", "scipy", "pandas", "matplotlib", "torch", "requests",
        "mpi4py", "h5py", "tqdm", "sklearn", "packaging", "psutil", "six", "tensorflow", "numba", "jax", "xarray",
        "netCDF4", "dask", "networkx", "sympy", "seaborn", "transformers", "pyarrow", "cupy", "mpmath", "jinja2",
        "click", "attr", "certifi", "urllib3", "idna", "dateutil", "pytz", "joblib", "threadpoolctl",
    ];

    public XaltSite(int users, int seed)
    {
        var random = new Random(seed);
        Libraries = Enumerable.Range(0, 400).Select(i => i < KnownLibraries.Length ? KnownLibraries[i] : $"pkg{i:D3}").ToArray();
        Hosts = Enumerable.Range(0, 560).Select(i => $"x{3001 + (i / 28)}c0s{(i % 28 / 4 * 2) + 1}b0n{i % 4}").ToArray();
        LibraryPick = new ZipfSampler(Libraries.Length, 1.05);
        StandardPick = new ZipfSampler(StandardModules.Length, 0.6);
        var projectPick = new ZipfSampler(Math.Max(1, users / 7), 0.8);
        Users = Enumerable.Range(0, users).Select(i => User(i, $"proj{projectPick.Next(random):D3}", random)).ToArray();
    }

    public string[] Libraries { get; }

    public string[] Hosts { get; }

    public XaltSiteUser[] Users { get; }

    public ZipfSampler LibraryPick { get; }

    public ZipfSampler StandardPick { get; }

    /// <summary>Where a standard module's file is in an environment.</summary>
    public static string StandardPath(string prefix, string module) =>
        StandardPackages.Contains(module) ? $"{prefix}/lib/python3.11/{module}/__init__.py"
        : StandardExtensions.Contains(module) ? $"{prefix}/lib/python3.11/lib-dynload/{module}.cpython-311-x86_64-linux-gnu.so"
        : $"{prefix}/lib/python3.11/{module}.py";

    /// <summary>Where a user's library's <c>__init__.py</c> is: the environment's site-packages, or the home directory.</summary>
    public string LibraryFolder(XaltSiteUser user, int library) => library == user.HomeLibrary
        ? $"/home/{user.Name}/.local/lib/python3.11/site-packages/{Libraries[library]}"
        : $"{user.Prefix}/lib/python3.11/site-packages/{Libraries[library]}";

    /// <summary>How many extension modules a library loads: the most used are big packages.</summary>
    public static int ExtensionsOf(int library) => library < 40 ? 12 - (library / 4) : library % 3;

    private XaltSiteUser User(int index, string project, Random random)
    {
        string name = $"u{index:D4}";
        double kind = random.NextDouble();
        string prefix = kind < 0.45 ? BasePrefix
            : kind < 0.85 ? $"/lus/eagle/projects/{project}/envs/{name}-env"
            : $"/lus/eagle/projects/{project}/{name}/venv";
        // Every Python user imports NumPy's like: the head of the ranking with the tail the user draws.
        var libraries = new SortedSet<int> { 0 };
        int count = 3 + random.Next(18);
        while (libraries.Count < count)
        {
            libraries.Add(LibraryPick.Next(random));
        }
        int home = random.NextDouble() < 0.05 ? libraries.ElementAt(random.Next(libraries.Count)) : -1;
        return new XaltSiteUser(20_000u + (uint)index, name, project, prefix, [.. libraries], home);
    }
}
