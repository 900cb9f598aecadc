namespace Polaris.Wire.Tests;

/// <summary>Processes that are not of one launch do not merge: a summary's job context is its first member's, so a
/// plain process merged with MPI ranks hid their world size.</summary>
public class SummaryKeyTests
{
    private static ProcessRecord Process(int pid, int rank, int size, string? launch) => new()
    {
        RecordId = $"n1:{pid}.1", Host = "n1", Uid = 1001, User = "asmith", Pid = pid, Executable = "/usr/bin/python3",
        Job = new JobContext
        {
            Rank = rank, Size = size,
            Variables = launch is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["PMIX_NAMESPACE"] = launch },
        },
        Modules = [new ModuleImport("numpy", "/x/numpy/__init__.py")],
    };

    [Fact]
    public void A_plain_process_and_the_ranks_of_an_mpi_launch_of_one_user_make_two_summaries_each_with_its_own_job_context()
    {
        // The python -c came first: merged, the summary showed rank -1 and size 0 for the MPI run.
        var records = new[] { Process(1, -1, 0, null), Process(2, 0, 4, "prterun-n1-100@1"), Process(3, 1, 4, "prterun-n1-100@1") };

        var summaries = SummaryBuilder.Summarize(records);

        Assert.Equal(2, summaries.Count);
        Assert.Equal((1, -1, 0), (summaries[0].Processes, summaries[0].Job.Rank, summaries[0].Job.Size));
        Assert.Equal((2, 0, 4), (summaries[1].Processes, summaries[1].Job.Rank, summaries[1].Job.Size));
    }

    [Fact]
    public void Two_launches_of_one_mpi_program_make_two_summaries_and_the_ranks_of_one_launch_one()
    {
        var records = new[] { Process(1, 0, 2, "launch-a"), Process(2, 1, 2, "launch-a"), Process(3, 0, 8, "launch-b") };

        var summaries = SummaryBuilder.Summarize(records);

        Assert.Equal([2, 1], summaries.Select(s => s.Processes));
        Assert.Equal([2, 8], summaries.Select(s => s.Job.Size));
    }
}
