using System.Diagnostics;
using Polaris.Agent.Serve.Enrich;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Agent.Tests.Enrich;

public class JobContextReaderTests
{
    private static JobContext Read(Dictionary<string, string> variables, string script = "", uint uid = 0) =>
        new JobContextReader().Read(new JobContext { Variables = variables, Script = script }, uid);

    [Fact]
    public void A_pbs_job_with_pals_ranks_counts_distinct_nodes()
    {
        using var dir = new TempDirectory();
        var nodeFile = dir.Combine("4242.polaris-pbs-01.hsn.cm.polaris.alcf.anl.gov");
        // Four ranks per node, the last line without a newline, one host spelled in capitals.
        File.WriteAllText(nodeFile, string.Join("\n",
            "x3004c0s7b0n0.hsn.cm.polaris.alcf.anl.gov", "x3004c0s7b0n0.hsn.cm.polaris.alcf.anl.gov",
            "x3004c0s7b0n0.hsn.cm.polaris.alcf.anl.gov", "X3004C0S7B0N0.hsn.cm.polaris.alcf.anl.gov",
            "x3004c0s13b0n0.hsn.cm.polaris.alcf.anl.gov", "x3004c0s13b0n0.hsn.cm.polaris.alcf.anl.gov", "",
            "  x3004c0s19b1n0.hsn.cm.polaris.alcf.anl.gov  "));
        var variables = new Dictionary<string, string>
        {
            ["PBS_JOBID"] = "4242.polaris-pbs-01.hsn.cm.polaris.alcf.anl.gov",
            ["PBS_ACCOUNT"] = "climate",
            ["PBS_QUEUE"] = "prod",
            ["PBS_NODEFILE"] = nodeFile,
            ["PALS_RANKID"] = "5",
            ["PALS_LOCAL_RANKID"] = "1",
            ["PMI_RANK"] = "5",
            ["PMI_SIZE"] = "12",
        };

        var job = Read(variables, script: "/lus/eagle/projects/climate/train.py", uid: Owner(nodeFile));

        Assert.Equal("4242.polaris-pbs-01.hsn.cm.polaris.alcf.anl.gov", job.JobId);
        Assert.Equal("climate", job.Account);
        Assert.Equal("prod", job.Queue);
        Assert.Equal(3, job.NodeCount);
        Assert.Equal(5, job.Rank);
        Assert.Equal(12, job.Size);
        Assert.Equal("/lus/eagle/projects/climate/train.py", job.Script);
        Assert.Same(variables, job.Variables);
    }

    [Fact]
    public void A_slurm_job_reads_slurm_variables()
    {
        var job = Read(new()
        {
            ["SLURM_JOB_ID"] = "98765",
            ["SLURM_JOB_ACCOUNT"] = "fusion",
            ["SLURM_JOB_PARTITION"] = "gpu",
            ["SLURM_JOB_NUM_NODES"] = "16",
            ["SLURM_PROCID"] = "63",
            ["SLURM_NTASKS"] = "64",
        });

        Assert.Equal(("98765", "fusion", "gpu", 16, 63, 64), (job.JobId, job.Account, job.Queue, job.NodeCount, job.Rank, job.Size));
    }

    [Theory]
    [InlineData("PMI_RANK", "PMI_SIZE")]
    [InlineData("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE")]
    [InlineData("PMIX_RANK", "SLURM_NTASKS")]
    [InlineData("SLURM_PROCID", "SLURM_NTASKS")]
    [InlineData("PALS_RANKID", "PMI_SIZE")]
    public void Each_mpi_flavour_gives_rank_and_size(string rank, string size)
    {
        var job = Read(new() { [rank] = "7", [size] = "32" });

        Assert.Equal(7, job.Rank);
        Assert.Equal(32, job.Size);
    }

    [Fact]
    public void Outside_a_job_nothing_is_made_up()
    {
        var job = Read([]);

        Assert.Equal(("", "", "", 0, -1, 0), (job.JobId, job.Account, job.Queue, job.NodeCount, job.Rank, job.Size));
    }

    [Fact]
    public void Garbage_in_one_variable_does_not_hide_the_next()
    {
        var job = Read(new() { ["PALS_RANKID"] = "x", ["PMI_RANK"] = "-3", ["OMPI_COMM_WORLD_RANK"] = " 2 ", ["PMI_SIZE"] = "0", ["SLURM_NTASKS"] = "4" });

        Assert.Equal(2, job.Rank);
        Assert.Equal(4, job.Size);
    }

    [Fact]
    public void A_missing_unreadable_or_special_node_file_counts_zero_and_never_blocks()
    {
        using var dir = new TempDirectory();
        var fifo = dir.Combine("fifo");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        var secret = dir.Combine("secret");
        File.WriteAllText(secret, "a\nb\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var link = dir.Combine("link");
        File.CreateSymbolicLink(link, secret);

        Assert.Equal(0, Read(new() { ["PBS_NODEFILE"] = dir.Combine("missing") }).NodeCount);
        Assert.Equal(0, Read(new() { ["PBS_NODEFILE"] = fifo }, uid: Owner(secret)).NodeCount);
        Assert.Equal(0, Read(new() { ["PBS_NODEFILE"] = dir.Path }, uid: Owner(secret)).NodeCount);
        Assert.Equal(0, Read(new() { ["PBS_NODEFILE"] = link }, uid: Owner(secret)).NodeCount);
        // Another user's private file is not read for this one.
        Assert.Equal(0, Read(new() { ["PBS_NODEFILE"] = secret }, uid: Owner(secret) + 1).NodeCount);
        Assert.Equal(2, Read(new() { ["PBS_NODEFILE"] = secret }, uid: Owner(secret)).NodeCount);
        // Nothing in the node file: Slurm's count, if any, stands.
        Assert.Equal(3, Read(new() { ["PBS_NODEFILE"] = dir.Combine("missing"), ["SLURM_JOB_NUM_NODES"] = "3" }).NodeCount);
    }

    [Fact]
    public void Only_the_first_mebibyte_of_a_node_file_is_read()
    {
        using var dir = new TempDirectory();
        var nodeFile = dir.Combine("nodes");
        // 23 bytes a line, 100,000 lines: 2.2 MiB.
        File.WriteAllLines(nodeFile, Enumerable.Range(0, 100_000).Select(i => $"node{i:D6}.example.org"));

        int counted = new NodeFile().CountNodes(nodeFile, Owner(nodeFile));

        Assert.InRange(counted, NodeFile.MaxBytes / 23, NodeFile.MaxBytes / 23 + 1);
    }

    [Fact]
    public void A_node_file_anyone_may_read_in_a_folder_its_sender_cannot_enter_is_not_read_for_them()
    {
        using var dir = new TempDirectory();
        var nodeFile = dir.Combine("nodes");
        File.WriteAllText(nodeFile, "x3001\nx3002\n");
        File.SetUnixFileMode(nodeFile, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        Assert.Equal(0, Read(new() { ["PBS_NODEFILE"] = nodeFile }, uid: 65534).NodeCount);
        Assert.Equal(2, Read(new() { ["PBS_NODEFILE"] = nodeFile }, uid: Owner(nodeFile)).NodeCount);
    }

    private static uint Owner(string path) => Native.FileStatus.Of(path)!.Value.Uid;
}
