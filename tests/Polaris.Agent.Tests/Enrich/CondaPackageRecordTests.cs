using System.Text;
using Polaris.Agent.Serve.Enrich;
using Polaris.Wire;

namespace Polaris.Agent.Tests.Enrich;

public class CondaPackageRecordTests
{
    [Fact]
    public void Name_version_build_channel_and_dist_infos_are_read_and_the_rest_skipped()
    {
        var json = """
            {
              "build": "py311h64a7726_0",
              "channel": "https://conda.anaconda.org/conda-forge/linux-64",
              "depends": ["libblas >=3.9.0,<4.0a0", "python_abi 3.11.* *_cp311"],
              "files": [
                "bin/f2py",
                "lib/python3.11/site-packages/numpy-1.26.4.dist-info\/INSTALLER",
                "lib/python3.11/site-packages/numpy-1.26.4.dist-info/METADATA",
                "lib/python3.11/site-packages/numpy/__init__.py"
              ],
              "link": {"source": "/soft/conda/pkgs/numpy-1.26.4-py311h64a7726_0", "type": 1},
              "name": "numpy",
              "paths_data": {"paths": [{"_path": "bin/f2py", "sha256": "00", "size_in_bytes": 2}], "paths_version": 1},
              "version": "1.26.4"
            }
            """;

        var record = CondaPackageRecord.Parse(Encoding.UTF8.GetBytes(json));

        Assert.NotNull(record);
        Assert.Equal(new CondaPackage("numpy", "1.26.4", "py311h64a7726_0", "conda-forge"), record.Package);
        Assert.Equal(["numpy-1.26.4.dist-info"], record.DistInfos);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("""{"version": "1.0"}""")]
    [InlineData("""{"name": "x", "version": "1.0", "files": [1, {"a": [2]}, "lib/python3.11/site-packages/x-1.0.dist-info/RECORD"]""")]
    public void Malformed_records_give_null_not_an_exception(string json)
    {
        Assert.Null(CondaPackageRecord.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Values_of_the_wrong_type_are_ignored()
    {
        var record = CondaPackageRecord.Parse("""{"name": "x", "version": "1.0", "build": 7, "channel": null, "files": [1, "lib/python3.11/site-packages/x-1.0.dist-info/RECORD"]}"""u8);

        Assert.Equal(new CondaPackage("x", "1.0", "", ""), record?.Package);
        Assert.Equal(["x-1.0.dist-info"], record?.DistInfos);
    }
}
