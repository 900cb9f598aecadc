using Polaris.Agent.Serve.Enrich;

namespace Polaris.Agent.Tests.Enrich;

public class CondaHistoryTests
{
    private const string History = """
        ==> 2024-04-29 10:11:12 <==
        # cmd: /soft/conda/bin/conda create -p /soft/datascience/conda/2024-04-29 --clone /soft/datascience/conda/2024-01-15
        # conda version: 24.1.2
        +conda-forge/linux-64::numpy-1.26.4-py311h64a7726_0
        +conda-forge/noarch::python-dateutil-2.9.0-pyhd8ed1ab_0
        +https://repo.anaconda.com/pkgs/main/linux-64::openssl-3.0.13-h7f8727e_0
        # update specs: []

        ==> 2024-05-03 14:22:07 <==
        # cmd: /soft/conda/bin/conda install -c conda-forge numpy=2.0.0
        # conda version: 24.1.2
        -conda-forge/linux-64::numpy-1.26.4-py311h64a7726_0
        +conda-forge/linux-64::numpy-2.0.0-py311h1461c94_0
        # update specs: ['numpy=2.0.0']
        ==> 2024-05-04 08:00:00 <==
        # cmd: conda remove python-dateutil
        -python-dateutil-2.9.0-pyhd8ed1ab_0
        """;

    [Fact]
    public void Blocks_commands_and_linked_and_unlinked_packages_are_parsed()
    {
        var history = CondaHistory.Parse(History);

        Assert.Equal(3, history.Revisions.Count);
        var first = history.Revisions[0];
        Assert.Equal("2024-04-29 10:11:12", first.Timestamp);
        Assert.Equal(["/soft/conda/bin/conda create -p /soft/datascience/conda/2024-04-29 --clone /soft/datascience/conda/2024-01-15"], first.Commands);
        Assert.Equal(
            [
                new CondaDist("conda-forge", "numpy", "1.26.4", "py311h64a7726_0"),
                new CondaDist("conda-forge", "python-dateutil", "2.9.0", "pyhd8ed1ab_0"),
                new CondaDist("pkgs/main", "openssl", "3.0.13", "h7f8727e_0"),
            ],
            first.Added);
        Assert.Empty(first.Removed);

        var second = history.Revisions[1];
        Assert.Equal([new CondaDist("conda-forge", "numpy", "1.26.4", "py311h64a7726_0")], second.Removed);
        Assert.Equal([new CondaDist("conda-forge", "numpy", "2.0.0", "py311h1461c94_0")], second.Added);

        // Older conda wrote no channel.
        Assert.Equal([new CondaDist("", "python-dateutil", "2.9.0", "pyhd8ed1ab_0")], history.Revisions[2].Removed);
    }

    [Fact]
    public void Damaged_history_yields_what_can_be_read()
    {
        var history = CondaHistory.Parse("+numpy-1-0\nstray line\n==> 2024-04-29 10:11:12 <==\n+\n+nodashes\n+a--b\n-x-1.0-0\n==>");

        var revision = Assert.Single(history.Revisions);
        Assert.Empty(revision.Added);
        Assert.Equal([new CondaDist("", "x", "1.0", "0")], revision.Removed);
        Assert.Empty(CondaHistory.Parse("").Revisions);
        Assert.Empty(CondaHistory.Read("/nonexistent/prefix").Revisions);
    }

    [Theory]
    [InlineData("--clone /soft/datascience/conda/2024-04-29", "/soft/datascience/conda/2024-04-29")]
    [InlineData("--clone=/soft/datascience/conda/2024-04-29/", "/soft/datascience/conda/2024-04-29")]
    [InlineData("--clone base", "/soft/conda")]
    [InlineData("--clone 2024-04-29", "/soft/conda/envs/2024-04-29")]
    [InlineData("-n x python=3.11", null)]
    [InlineData("--clone relative/dir", null)]
    public void Clone_sources_resolve_as_conda_resolves_them(string arguments, string? source)
    {
        Assert.Equal(source, BaseClone.CloneSource($"/soft/conda/bin/conda create -p /lus/x {arguments}"));
    }

    [Theory]
    [InlineData("https://conda.anaconda.org/conda-forge/linux-64", "conda-forge")]
    [InlineData("https://conda.anaconda.org/conda-forge/noarch/", "conda-forge")]
    [InlineData("https://conda.anaconda.org/t/abc-123/nvidia/linux-64", "nvidia")]
    [InlineData("https://repo.anaconda.com/pkgs/main/linux-64", "pkgs/main")]
    [InlineData("conda-forge/linux-64", "conda-forge")]
    [InlineData("conda-forge", "conda-forge")]
    [InlineData("pytorch", "pytorch")]
    [InlineData("file:///soft/local-channel/linux-64", "soft/local-channel")]
    [InlineData("", "")]
    public void Channels_are_reported_by_name(string channel, string name)
    {
        Assert.Equal(name, CondaChannel.Name(channel));
    }
}
