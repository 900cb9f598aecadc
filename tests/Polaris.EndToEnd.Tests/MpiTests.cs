using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>Every MPI rank is recorded, not only rank 0: real Open MPI from Debian.</summary>
public class MpiTests
{
    // The default quiet time: ranks that end within 2 s of each other make one summary, however loaded the machine.
    private static readonly System.Text.Json.Nodes.JsonObject RanksEndingTogether = new() { ["summaryQuietMs"] = 2000 };

    [Fact]
    public void Every_rank_of_an_mpiexec_job_is_recorded_with_its_rank_in_one_summary()
    {
        using var node = new NodeUnderTest(_ => RanksEndingTogether);

        var result = CommandResult.Run("mpiexec",
            ["--allow-run-as-root", "--oversubscribe", "-n", "4", AgentBinary.FilePath, "run", "--drop", node.Daemon.Drop, "--",
             RepoPaths.Python, "-c", "from mpi4py import MPI; MPI.COMM_WORLD.Barrier()"],
            new Dictionary<string, string?> { ["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none", ["OMPI_MCA_rmaps_base_oversubscribe"] = "1" });

        Assert.True(result.ExitCode == 0, result.StderrText);
        var summary = Assert.Single(node.Collector.WaitForProcesses(4));
        Assert.Equal(4, summary.Number("procs"));
        Assert.Equal([0, 1, 2, 3], summary.Members().Select(m => m.Number("rank")).Order());
        Assert.Equal(4, summary.Job().Number("size"));
        // Each rank keeps its own Open MPI variables, not only the first rank's (issue 10, item 14).
        Assert.All(summary.Members(), m => Assert.Equal(
            m.Number("rank").ToString(System.Globalization.CultureInfo.InvariantCulture), summary.VariableOf(m, "OMPI_COMM_WORLD_RANK")));
        var mpi4py = summary.Module("mpi4py");
        Assert.Equal(4, mpi4py.Number("processes"));
        Assert.False(mpi4py.TryGetProperty("members", out _), "every rank imported it: no member list");
        Assert.Equal(4, mpi4py.GetProperty("cum").Long("count"));
        Assert.Equal(4, node.Collector.Metric("polaris_library_processes_total{library=\"mpi4py\"}"));
    }

    [Fact]
    public void A_plain_process_and_an_mpiexec_run_of_one_user_ending_together_make_two_summaries_each_with_its_job_context()
    {
        // Outside a batch job, a python -c that ended first and a 4-rank run were one summary: rank -1, size 0.
        using var node = new NodeUnderTest(_ => RanksEndingTogether);
        var plain = node.Daemon.Run([RepoPaths.Python, "-c", "import json"]);
        var result = CommandResult.Run("mpiexec",
            ["--allow-run-as-root", "--oversubscribe", "-n", "4", AgentBinary.FilePath, "run", "--drop", node.Daemon.Drop, "--",
             RepoPaths.Python, "-c", "from mpi4py import MPI; MPI.COMM_WORLD.Barrier()"],
            new Dictionary<string, string?> { ["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none", ["OMPI_MCA_rmaps_base_oversubscribe"] = "1" });

        Assert.True(plain.ExitCode == 0 && result.ExitCode == 0, plain.StderrText + result.StderrText);
        var summaries = node.Collector.WaitForProcesses(5);
        Assert.Equal(2, summaries.Count);
        var mpi = Assert.Single(summaries, s => s.Number("procs") == 4);
        Assert.Equal(4, mpi.Job().Number("size"));
        Assert.Equal([0, 1, 2, 3], mpi.Members().Select(m => m.Number("rank")).Order());
        var single = Assert.Single(summaries, s => s.Number("procs") == 1);
        Assert.Equal(plain.Pid, single.OnlyMember().Number("pid"));
        Assert.Equal(-1, single.Job().Number("rank"));
    }

    [Fact]
    public void The_rank_that_imported_what_the_others_did_not_stays_visible_in_the_summary()
    {
        using var node = new NodeUnderTest(_ => RanksEndingTogether);
        var script = Path.Combine(node.Folder, "ranks.py");
        File.WriteAllText(script, "from mpi4py import MPI\nif MPI.COMM_WORLD.Get_rank() == 2:\n    import yaml\nMPI.COMM_WORLD.Barrier()\n");

        var result = CommandResult.Run("mpiexec",
            ["--allow-run-as-root", "--oversubscribe", "-n", "4", AgentBinary.FilePath, "run", "--drop", node.Daemon.Drop, "--",
             RepoPaths.Python, script],
            new Dictionary<string, string?> { ["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none", ["OMPI_MCA_rmaps_base_oversubscribe"] = "1" });

        Assert.True(result.ExitCode == 0, result.StderrText);
        var summary = Assert.Single(node.Collector.WaitForProcesses(4));
        var importers = summary.ImportedBy("yaml");
        var member = summary.Members()[Assert.Single(importers)];
        Assert.Equal(2, member.Number("rank"));
        Assert.Equal(1, summary.Module("yaml").Number("processes"));
        Assert.Equal(4, summary.Module("mpi4py").Number("processes"));
        Assert.Equal(1, node.Collector.Metric("polaris_library_processes_total{library=\"yaml\"}"));
    }
}
