using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>Every MPI rank is recorded, not only rank 0: real Open MPI from Debian.</summary>
public class MpiTests
{
    [Fact]
    public void Every_rank_of_an_mpiexec_job_is_recorded_with_its_rank()
    {
        using var node = new NodeUnderTest();

        var result = CommandResult.Run("mpiexec",
            ["--allow-run-as-root", "--oversubscribe", "-n", "4", AgentBinary.FilePath, "run", "--drop", node.Daemon.Drop, "--",
             RepoPaths.Python, "-c", "from mpi4py import MPI; MPI.COMM_WORLD.Barrier()"],
            new Dictionary<string, string?> { ["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none", ["OMPI_MCA_rmaps_base_oversubscribe"] = "1" });

        Assert.True(result.ExitCode == 0, result.StderrText);
        var records = node.Collector.WaitForProcesses(4);
        Assert.Equal(4, records.Count);
        Assert.Equal(["0", "1", "2", "3"], records.Select(r => r.Variable("OMPI_COMM_WORLD_RANK")).Order());
        Assert.All(records, r => Assert.Equal("4", r.Variable("OMPI_COMM_WORLD_SIZE")));
        Assert.All(records, r => Assert.Contains("mpi4py", r.Libraries()));
    }
}
