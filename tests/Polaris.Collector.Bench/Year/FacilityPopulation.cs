using Polaris.Wire;

namespace Polaris.Collector.Bench.Year;

/// <summary>Who uses Python on a generated facility and what: libraries ranked by a Zipf law (a few used by most
/// users, a long tail used by few), users in projects of science domains, each with an environment and the libraries
/// they import. The same seed gives the same facility.</summary>
internal sealed class FacilityPopulation
{
    // The study's and the field's usual top of the ranking; the rest of the libraries are named libNNNN.
    private static readonly string[] KnownLibraries =
    [
        "numpy", "yaml", "zstandard", "cryptography", "PIL", "scipy", "pandas", "matplotlib", "torch", "requests",
        "mpi4py", "h5py", "tqdm", "sklearn", "packaging", "psutil", "six", "tensorflow", "numba", "jax", "xarray",
        "netCDF4", "dask", "networkx", "sympy", "seaborn", "transformers", "pyarrow", "cupy", "mpmath", "jinja2",
        "click", "attr", "certifi", "urllib3", "idna", "charset_normalizer", "google", "absl", "keras", "torchvision",
        "datasets", "huggingface_hub", "tokenizers", "regex", "filelock", "fsspec", "lightning", "wandb", "ase",
        "pymatgen", "rdkit", "Bio", "astropy", "healpy", "yt", "parsl", "globus_sdk", "deepspeed", "horovod",
    ];

    /// <summary>The science domains of the projects (the domain table's values).</summary>
    public static readonly string[] DomainNames =
    [
        "Computer Science", "Materials Science", "Chemistry", "Physics", "Biology", "Climate", "Engineering",
        "Astrophysics", "Fusion Energy", "Earth Science", "Mathematics", "Data Science",
    ];

    public FacilityPopulation(int users, int projects, int libraries, int seed)
    {
        var random = new Random(seed);
        Libraries = Enumerable.Range(0, libraries).Select(i => i < KnownLibraries.Length ? KnownLibraries[i] : $"lib{i:D4}").ToArray();
        Versions = Libraries.Select((_, i) => $"{1 + (i % 5)}.{i % 23}.{i % 7}").ToArray();
        Projects = Enumerable.Range(0, projects).Select(i => $"proj{i:D3}").ToArray();
        DomainOfProject = Projects.ToDictionary(p => p, p => DomainNames[random.Next(DomainNames.Length)], StringComparer.Ordinal);
        var libraryPick = new ZipfSampler(libraries, 1.05);
        var projectPick = new ZipfSampler(projects, 0.8);
        Users = Enumerable.Range(0, users).Select(i => FacilityUser.Generate(i, Projects[projectPick.Next(random)], libraryPick, this, random)).ToArray();
    }

    public string[] Libraries { get; }

    /// <summary>The version a library has in the facility's base environment; custom environments vary it.</summary>
    public string[] Versions { get; }

    public string[] Projects { get; }

    public Dictionary<string, string> DomainOfProject { get; }

    public FacilityUser[] Users { get; }

    /// <summary>How many modules a library brings: the most used are big packages with many submodules.</summary>
    public static int ModulesOf(int library) => library < 40 ? 30 - (library / 2) : 1 + (library % 4);

    /// <summary>The domain table as the collector reads it (<c>domainFile</c>).</summary>
    public string DomainCsv() =>
        "project,domain\n" + string.Concat(DomainOfProject.Select(p => $"{p.Key},{p.Value}\n"));

    /// <summary>Where the facility's base conda environment lies.</summary>
    public const string BasePrefix = "/soft/datascience/conda/2025-09-25";

    internal static Origin OriginOf(EnvironmentKind kind) => kind switch
    {
        EnvironmentKind.BaseEnv => Origin.BaseEnv,
        EnvironmentKind.CondaEnv => Origin.CustomEnv,
        EnvironmentKind.Venv => Origin.Venv,
        _ => Origin.System,
    };
}
