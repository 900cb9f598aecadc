namespace Polaris.Wire.Tests;

public class SummaryBuilderTests
{
    private static ProcessRecord Rank(int rank, params (string Name, long SelfNs)[] modules) => new()
    {
        RecordId = $"n1:{100 + rank}.1", Host = "n1", Uid = 1001, User = "asmith", Pid = 100 + rank,
        Executable = "/usr/bin/python3", StartedAtMs = 1000 + rank, EndedAtMs = 2000 + rank,
        Job = new JobContext { JobId = "42.pbs", Rank = rank, Size = 4, Script = "/home/asmith/train.py" },
        Modules = modules.Select(m => new ModuleImport(m.Name, "/x/" + m.Name)).ToArray(),
        Times = modules.Select(m => new ImportTime(m.SelfNs, m.SelfNs)).ToArray(),
        SharedObjects = [new SharedObject("/usr/lib/libcuda.so.1")],
    };

    [Fact]
    public void Ranks_of_one_job_merge_into_one_module_table_and_the_rank_that_differs_stays_visible()
    {
        var records = new[]
        {
            Rank(0, ("numpy", 1000), ("mpi4py", 50)),
            Rank(1, ("numpy", 3000), ("mpi4py", 60)),
            Rank(2, ("numpy", 5000), ("mpi4py", 70), ("matplotlib", 9000)),
            Rank(3, ("numpy", 2_000_000), ("mpi4py", 80)),
        };

        var summary = Assert.Single(SummaryBuilder.Summarize(records));

        Assert.Equal(4, summary.Processes);
        Assert.Equal([0, 1, 2, 3], summary.Members.Select(m => m.Rank));
        var numpy = summary.Modules.Single(m => m.Name == "numpy");
        Assert.Equal(4, numpy.Processes);
        Assert.Empty(numpy.Members);
        Assert.Equal((4, 1000, 2_000_000, 2_009_000), (numpy.SelfNs.Count, numpy.SelfNs.Min, numpy.SelfNs.Max, numpy.SelfNs.Sum));
        // 1000 and 3000 share no bucket with 5000 or 2 ms: the slow rank is an outlier the histogram shows.
        Assert.Equal([(9, 1L), (11, 1L), (12, 1L), (20, 1L)], numpy.SelfNs.Buckets);
        var matplotlib = summary.Modules.Single(m => m.Name == "matplotlib");
        Assert.Equal(1, matplotlib.Processes);
        Assert.Equal([2], matplotlib.Members);
        Assert.Equal(4, Assert.Single(summary.SharedObjects).Processes);
    }

    [Fact]
    public void Records_of_other_jobs_users_or_scripts_make_other_summaries()
    {
        var other = Rank(0, ("numpy", 1)) with { Job = new JobContext { JobId = "43.pbs", Script = "/home/asmith/train.py" } };
        var otherUser = Rank(1, ("numpy", 1)) with { Uid = 1002 };
        var otherScript = Rank(2, ("numpy", 1)) with { Job = new JobContext { JobId = "42.pbs", Script = "/home/asmith/plot.py" } };

        var summaries = SummaryBuilder.Summarize([Rank(0, ("numpy", 1)), other, otherUser, otherScript, Rank(3, ("numpy", 1))]);

        Assert.Equal([2, 1, 1, 1], summaries.Select(s => s.Processes));
    }

    [Fact]
    public void Modules_the_hook_did_not_time_count_as_imported_but_not_in_the_times()
    {
        var untimed = Rank(0) with { Modules = [new ModuleImport("sys", "")] };
        var alsoUntimed = Rank(1, ("sys", 10)) with { Modules = [new ModuleImport("sys", "")], Times = [] };

        var sys = Assert.Single(Assert.Single(SummaryBuilder.Summarize([untimed, alsoUntimed])).Modules);

        Assert.Equal(2, sys.Processes);
        Assert.Equal(0, sys.SelfNs.Count);
    }

    [Fact]
    public void A_module_counts_the_processes_that_loaded_it_at_start_up_whether_or_not_records_share_a_module_list()
    {
        ModuleImport[] shared = [new("_distutils_hack", "/usr/lib/python3/dist-packages/_distutils_hack/__init__.py"), new("json", "/usr/lib/python3.11/json/__init__.py")];
        static ImportTime[] Times(bool hack, bool json) => [new ImportTime(1000, 1000) { Startup = hack }, new ImportTime(2000, 2000) { Startup = json }];
        var records = new[]
        {
            Rank(0) with { Modules = shared, Times = Times(true, false) },
            // The same list as the last record's: folded by the shortcut.
            Rank(1) with { Modules = shared, Times = Times(true, false) },
            // Another list: matched module by module.
            Rank(2) with { Modules = [.. shared], Times = Times(true, true) },
            Rank(3) with { Modules = shared, Times = Times(false, false) },
        };

        var summary = Assert.Single(SummaryBuilder.Summarize(records));

        Assert.Equal([("_distutils_hack", 4, 3), ("json", 4, 1)], summary.Modules.Select(m => (m.Name, m.Processes, m.StartupProcesses)));
    }

    [Fact]
    public void A_record_of_another_summary_is_refused()
    {
        var builder = new SummaryBuilder(SummaryKey.Of(Rank(0)));

        Assert.Throws<ArgumentException>(() => builder.Add(Rank(1) with { Uid = 0 }));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(1023, 9)]
    [InlineData(1024, 10)]
    public void Buckets_are_powers_of_two_of_nanoseconds(long ns, int bucket) => Assert.Equal(bucket, TimeDistribution.BucketOf(ns));

    [Fact]
    public void A_quantile_is_the_upper_edge_of_its_bucket_within_the_extremes()
    {
        var d = new TimeDistribution();
        foreach (var ns in new long[] { 600, 700, 800, 50_000 })
        {
            d.Add(ns);
        }

        Assert.Equal(1023, d.Quantile(0.5));
        Assert.Equal(50_000, d.Quantile(1));
        Assert.Equal(0, new TimeDistribution().Quantile(0.5));
    }
}
