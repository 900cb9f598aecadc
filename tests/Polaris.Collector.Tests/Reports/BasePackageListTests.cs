using System.Text;
using Polaris.Collector.Reports;
using Polaris.Testing;

namespace Polaris.Collector.Tests.Reports;

/// <summary>The base environment's package list as conda and pip print it (base-env/: a <c>conda env export</c>, a
/// <c>conda list</c>, a <c>conda list --export</c> and a <c>pip freeze</c>), names matched as conda and pip match them.</summary>
public class BasePackageListTests
{
    private static BasePackageList Read(string file) => BasePackageList.Read(Path.Combine(RepoPaths.Root, "tests", "Polaris.Collector.Tests", "Reports", "base-env", file));

    [Fact]
    public void Conda_env_export_gives_its_dependencies_and_its_pip_list_but_not_its_channels()
    {
        var list = Read("environment.yml");

        Assert.Equal(11, list.Count);
        Assert.Equal(0, list.LinesRefused);
        Assert.Equal("1.25.2", list.VersionOf("numpy"));
        Assert.Equal("6.0.1", list.VersionOf("yaml")); // the import name of pyyaml
        Assert.Equal("1.4.1.post1", list.VersionOf("sklearn"));
        Assert.Equal("2.2.1", list.VersionOf("torch")); // pip's name, where conda's is pytorch
        Assert.Equal("4.10.0", list.VersionOf("typing_extensions")); // Typing_Extensions, as pip compares names
        Assert.Equal("", list.VersionOf("mpi4py")); // installed from a wheel file: in the base, version not given
        Assert.Null(list.VersionOf("conda_forge")); // a channel
        Assert.Null(list.VersionOf("scipy"));
    }

    [Fact]
    public void Conda_list_columns_and_its_export_lines_are_read_alike()
    {
        var columns = Read("conda-list.txt");
        var export = Read("conda-export.txt");

        Assert.Equal((5, 0L), (columns.Count, columns.LinesRefused));
        Assert.Equal("2.1.2", columns.VersionOf("torch")); // conda's pytorch
        Assert.Equal("0.18.6", columns.VersionOf("ruamel.yaml"));
        Assert.Equal("0.18.6", columns.VersionOf("ruamel_yaml"));
        Assert.Equal((3, 0L), (export.Count, export.LinesRefused));
        Assert.Equal("1.26.4", export.VersionOf("numpy"));
        Assert.Equal("6.0.1", export.VersionOf("yaml")); // after its channel, conda-forge::
    }

    [Fact]
    public void Pip_freeze_gives_its_pins_and_counts_the_lines_that_are_none()
    {
        var list = Read("pip-freeze.txt");

        Assert.Equal(3, list.Count);
        Assert.Equal(2, list.LinesRefused); // the editable install and the HTML
        Assert.Equal("2.2.1+cu121", list.VersionOf("torch"));
        Assert.Equal("6.0.1", list.VersionOf("yaml"));
    }

    [Fact]
    public void A_hostile_file_is_bounded_and_never_crashes()
    {
        using var dir = new TempDirectory();
        var big = dir.Combine("big");
        using (var file = File.Create(big))
        {
            file.SetLength(BasePackageList.MaxFileBytes + 1);
        }
        var junk = new StringBuilder()
            .Append(new string('a', BasePackageList.MaxLineBytes + 10)).Append("==1\n")
            .Append("numpy==1.0\u0000\n")
            .Append("na\u00efve==1\n")
            .Append("scipy==$(rm -rf /)\n")
            .Append("---\n");
        var list = BasePackageList.Parse(new MemoryStream(Encoding.UTF8.GetBytes(junk.ToString())));

        Assert.Throws<InvalidDataException>(() => BasePackageList.Read(big));
        Assert.Throws<FileNotFoundException>(() => BasePackageList.Read(dir.Combine("none")));
        Assert.Equal(3, list.LinesRefused); // the long line, the non-ASCII name, the ---
        Assert.Equal("", list.VersionOf("numpy")); // a version that is none is not kept
        Assert.Equal("", list.VersionOf("scipy"));
    }

    [Theory]
    [InlineData("Typing_Extensions", "typing-extensions")]
    [InlineData("ruamel.yaml", "ruamel-yaml")]
    [InlineData("zope__interface", "zope-interface")]
    [InlineData("PyYAML", "pyyaml")]
    public void Names_compare_as_pip_compares_them(string name, string normal) => Assert.Equal(normal, BasePackageList.Normalize(name));
}
