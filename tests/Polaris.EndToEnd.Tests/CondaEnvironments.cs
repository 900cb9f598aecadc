using System.Text.Json.Nodes;

namespace Polaris.EndToEnd.Tests;

/// <summary>A node whose daemon knows the facility's base conda environment, and that base on disk: a real
/// interpreter (a venv of Debian's) given a <c>conda-meta/</c> folder in conda's formats and conda's numpy.</summary>
public sealed class CondaEnvironments : IDisposable
{
    /// <summary>The base's packages, as <c>conda-meta/history</c> names them.</summary>
    public static readonly string[] BasePackages =
        ["python-3.11.2-h2755cc3_0_cpython", "numpy-1.26.4-py311h64a7726_0", "scipy-1.13.0-py311h517d4fd_1", "pyyaml-6.0.1-py311h459d7ec_1"];

    public CondaEnvironments()
    {
        Node = new NodeUnderTest(folder => new JsonObject
        {
            ["baseEnvironments"] = new JsonArray(Path.Combine(folder, "soft", "datascience", "conda", "2024-04-29")),
        });
        Base = Path.Combine(Node.Folder, "soft", "datascience", "conda", "2024-04-29");
        Create(Base, BasePackages, CondaMeta.Transaction("2024-04-29 10:11:12", $"{Base}/bin/conda create -p {Base} python=3.11 numpy scipy pyyaml", BasePackages));
        // The facility's own pip installs into base are part of what base is, not a user's change.
        PythonPackage.CreateDistInfo(PythonPackage.SitePackages(Base), "facility_extras", "1.0", "pip");
    }

    public NodeUnderTest Node { get; }

    /// <summary>The base environment's prefix, as <c>baseEnvironments</c> names it.</summary>
    public string Base { get; }

    /// <summary>Creates a conda environment at <paramref name="prefix"/> with a real interpreter: a venv given
    /// <c>conda-meta/</c> with one record per package in <paramref name="packages"/>, and <paramref name="history"/>.
    /// A numpy among them is installed into site-packages too, with the dist-info its conda record lists.</summary>
    public static string Create(string prefix, IEnumerable<string> packages, string history)
    {
        var sitePackages = VirtualEnvironment.Create(prefix);
        var lib = Path.GetRelativePath(prefix, sitePackages);
        foreach (var dist in packages)
        {
            var (name, version) = (dist.Split('-')[0], dist.Split('-')[1]);
            if (name == "numpy")
            {
                PythonPackage.Create(sitePackages, "numpy", version);
                // conda-forge's numpy is built with pip, and its dist-info says so; conda owns it all the same.
                PythonPackage.CreateDistInfo(sitePackages, "numpy", version, "pip");
                CondaMeta.AddPackage(prefix, dist, $"{lib}/numpy/__init__.py", $"{lib}/numpy-{version}.dist-info/INSTALLER", $"{lib}/numpy-{version}.dist-info/METADATA");
            }
            else
            {
                CondaMeta.AddPackage(prefix, dist, $"bin/{name}");
            }
        }
        CondaMeta.WriteHistory(prefix, history);
        return sitePackages;
    }

    public void Dispose() => Node.Dispose();
}
