using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A process of a PBS job is stored with its job and MPI placement, and nothing else from its environment
/// or command line.</summary>
public class JobContextTests
{
    [Fact]
    public void A_PBS_job_rank_is_stored_with_its_job_nodes_and_rank_and_no_secret_leaves_the_process()
    {
        using var node = new NodeUnderTest();
        // One line per rank slot, as PBS writes it: three hosts, four slots each, in PBS's order.
        var nodeFile = Path.Combine(node.Folder, "aggr.x3001c0s13b0n0.nodefile");
        string[] hosts = ["x3001c0s13b0n0", "x3001c0s13b1n0", "x3002c0s1b0n0"];
        File.WriteAllLines(nodeFile, hosts.SelectMany(h => Enumerable.Repeat(h, 4)));
        var script = Path.Combine(node.Folder, "train.py");
        File.WriteAllText(script, "import json, sys\n");

        var run = node.Daemon.Run([RepoPaths.Python, script, "--password=hunter2"], new Dictionary<string, string?>
        {
            ["PBS_JOBID"] = "1875214.polaris-pbs-01.hsn.cm.polaris.alcf.anl.gov",
            ["PBS_ACCOUNT"] = "ClimateML",
            ["PBS_QUEUE"] = "prod",
            ["PBS_NODEFILE"] = nodeFile,
            ["PMI_RANK"] = "5",
            ["PMI_SIZE"] = "12",
            ["SECRET_TOKEN"] = "hunter2",
        }, node.Folder);

        Assert.True(run.ExitCode == 0, run.StderrText);
        var job = node.Collector.WaitForProcess(run.Pid).Job();
        Assert.Equal("1875214.polaris-pbs-01.hsn.cm.polaris.alcf.anl.gov", job.Text("id"));
        Assert.Equal("ClimateML", job.Text("account"));
        Assert.Equal("prod", job.Text("queue"));
        Assert.Equal(3, job.Number("nodes"));
        Assert.Equal(5, job.Number("rank"));
        Assert.Equal(12, job.Number("size"));
        Assert.Equal(script, job.Text("script"));
        Assert.False(job.GetProperty("vars").TryGetProperty("SECRET_TOKEN", out _));
        // Not a field, not a variable, not an argument: the secret is nowhere in what the collector stored or the daemon logged.
        Assert.DoesNotContain("hunter2", node.Collector.SummariesJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", node.Daemon.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_runs_of_one_script_in_one_summary_each_keep_their_own_value_of_an_allowlisted_variable()
    {
        // Runs of one script that end within the quiet time are one summary, whose job variables are its first
        // member's: the second run's device, and the modules it had not loaded, were lost (issue 10, item 14).
        using var node = new NodeUnderTest(_ => new System.Text.Json.Nodes.JsonObject { ["summaryQuietMs"] = 10_000 });
        var script = Path.Combine(node.Folder, "infer.py");
        File.WriteAllText(script, "import json\n");

        var first = node.Daemon.Run([RepoPaths.Python, script],
            new Dictionary<string, string?> { ["CUDA_VISIBLE_DEVICES"] = "0", ["LOADEDMODULES"] = "conda/2024-04-29" }, node.Folder);
        var second = node.Daemon.Run([RepoPaths.Python, script],
            new Dictionary<string, string?> { ["CUDA_VISIBLE_DEVICES"] = "1", ["LOADEDMODULES"] = null }, node.Folder);

        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, first.StderrText + second.StderrText);
        var summary = Assert.Single(node.Collector.WaitForProcesses(2));
        Assert.Equal(2, summary.Number("procs"));
        var (firstMember, secondMember) = (summary.Member(first.Pid), summary.Member(second.Pid));
        Assert.Equal("0", summary.VariableOf(firstMember, "CUDA_VISIBLE_DEVICES"));
        Assert.Equal("1", summary.VariableOf(secondMember, "CUDA_VISIBLE_DEVICES"));
        Assert.Equal("conda/2024-04-29", summary.VariableOf(firstMember, "LOADEDMODULES"));
        Assert.Null(summary.VariableOf(secondMember, "LOADEDMODULES"));
    }
}
