using Polaris.Agent.Bench;
using Polaris.Testing;

namespace Polaris.Agent.Tests.Bench;

public class PackageCandidatesTests
{
    private static readonly HashSet<string> StandardLibrary = ["json", "os", "tkinter"];

    [Theory]
    [InlineData("six.py", false, "six")]
    [InlineData("numpy", true, "numpy")]
    [InlineData("apt_pkg.cpython-311-x86_64-linux-gnu.so", false, "apt_pkg")]
    [InlineData("_brotli.abi3.so", false, "_brotli")]
    [InlineData("numpy-1.24.2.egg-info", true, null)]
    [InlineData("PyYAML-6.0.dist-info", true, null)]
    [InlineData("distutils-precedence.pth", false, null)]
    [InlineData("README.txt", false, null)]
    [InlineData("lz4-4.0.2+dfsg.egg-info", true, null)]
    [InlineData("3rdparty", true, null)]
    public void A_site_folder_entry_names_the_module_it_provides(string entry, bool isDirectory, string? module)
    {
        Assert.Equal(module, PackageCandidates.ModuleName(entry, isDirectory));
    }

    [Theory]
    [InlineData("numpy", true)]
    [InlineData("PIL", true)]
    [InlineData("_yaml", false)]
    [InlineData("__pycache__", false)]
    [InlineData("test", false)]
    [InlineData("tests", false)]
    [InlineData("idlelib", false)]
    [InlineData("antigravity", false)]
    [InlineData("this", false)]
    [InlineData("json", false)]
    [InlineData("testing", true)]
    public void Private_test_GUI_printing_and_standard_library_modules_are_no_candidates(string name, bool candidate)
    {
        Assert.Equal(candidate, PackageCandidates.IsCandidate(name, StandardLibrary));
    }

    [Fact]
    public void Candidates_come_from_every_site_folder_sorted_each_once()
    {
        using var dir = new TempDirectory();
        var system = Directory.CreateDirectory(dir.Combine("dist-packages")).FullName;
        var user = Directory.CreateDirectory(dir.Combine("site-packages")).FullName;
        Package(system, "numpy");
        Package(system, "yaml");
        Directory.CreateDirectory(Path.Combine(system, "mpl_toolkits"));
        Directory.CreateDirectory(Path.Combine(system, "numpy-1.24.2.egg-info"));
        Package(system, "tests");
        Package(system, "_distutils_hack");
        File.WriteAllText(Path.Combine(system, "six.py"), "");
        File.WriteAllText(Path.Combine(system, "antigravity.py"), "");
        File.WriteAllText(Path.Combine(system, "apt_pkg.cpython-311-x86_64-linux-gnu.so"), "");
        File.WriteAllText(Path.Combine(system, "distutils-precedence.pth"), "");
        Package(user, "numpy");
        File.WriteAllText(Path.Combine(user, "json.py"), "");
        File.WriteAllText(Path.Combine(user, "Zeta.py"), "");

        var candidates = PackageCandidates.In([system, user, dir.Combine("missing")], StandardLibrary);

        Assert.Equal(["Zeta", "apt_pkg", "numpy", "six", "yaml"], candidates);
    }

    private static void Package(string siteFolder, string name)
    {
        Directory.CreateDirectory(Path.Combine(siteFolder, name));
        File.WriteAllText(Path.Combine(siteFolder, name, "__init__.py"), "");
    }
}
