using Polaris.Collector.Reports;
using Polaris.Collector.Tests.Scheduler;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests.Reports;

/// <summary>Node-hours spent importing (docs/analysis.md, "Import cost in node-hours"), per library and per job, on
/// processes whose starts, import times and node counts are known; every figure worked out by hand below.</summary>
public class ImportCostNodeHoursTests : IDisposable
{
    private static readonly DateTime Start = DateTime.UtcNow.Date.AddHours(12);
    private readonly TempDirectory _dir = new();
    private readonly TestStore _opened;
    private int _pid = 100;

    // Job 5001 (PBS says 4 nodes; its processes said 2): node a runs 2 ranks importing 3 s and 5 s at once (5 s of
    // wall time), then 60 s later 1 process importing 2 s: 7 s; node b 1 rank importing 6 s. The slowest node is a:
    // 7 s x 4 nodes = 28 node-seconds. numpy takes 1 s in each of its 4 processes: 4 of 16 s, a quarter: 7.
    // Job 5002 (no accounting, no node count): nodes c and d import 1 s and 2 s; 2 nodes reported it: 2 s x 2 = 4,
    // numpy 1 s in each: 2 of 3 s, so 8/3.
    // Job 5003 (its processes said 8 nodes): 1 process on e imports 1 s: 8, all scipy's.
    // Outside any job, a 10 s import on a login node holds no nodes: in process-hours only.
    public ImportCostNodeHoursTests()
    {
        _opened = new TestStore(_dir.Path);
        Post("5001.polaris-pbs-01", "a", 2, (0, 3, "numpy"), (0, 5, "numpy"));
        Post("5001.polaris-pbs-01", "a", 2, (60_000, 2, "numpy"));
        Post("5001.polaris-pbs-01", "b", 2, (0, 6, "numpy"));
        Post("5002.polaris-pbs-01", "c", 0, (0, 1, "numpy"));
        Post("5002", "d", 0, (0, 2, "numpy"));
        Post("5003.polaris-pbs-01", "e", 8, (0, 1, "scipy"));
        Post("", "login1", 0, (0, 10, "numpy"));
        var log = PbsLogs.EndLine("5001.polaris-pbs-01", "Resource_List.nodect=4") + "\n";
        _opened.Store.ImportPbs(PbsLogs.Read(log).Records, DateTime.UtcNow);
        _opened.Store.Fold();
    }

    public void Dispose()
    {
        _opened.Dispose();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    private static ReportQuery Query() => ReportQuery.Parse([], DateOnly.FromDateTime(Start));

    /// <summary>Processes of one launch on one node: each (start offset in ms, import seconds, the library it timed
    /// for 1 s).</summary>
    private void Post(string jobId, string node, int nodes, params (int OffsetMs, int ImportSeconds, string Library)[] processes)
    {
        var records = processes.Select((p, rank) => new ProcessRecord
        {
            Host = node, Uid = 1001, User = "alice", Pid = _pid++, RecordId = $"{node}:{_pid}",
            StartedAtMs = new DateTimeOffset(Start).ToUnixTimeMilliseconds() + p.OffsetMs,
            EndedAtMs = new DateTimeOffset(Start).ToUnixTimeMilliseconds() + p.OffsetMs + 20_000,
            ImportNs = p.ImportSeconds * 1_000_000_000L,
            Environment = new PythonEnvironment { Kind = EnvironmentKind.BaseEnv, Prefix = "/opt/conda" },
            Job = new JobContext { JobId = jobId, Account = "proj", NodeCount = nodes, Rank = jobId.Length > 0 ? rank : -1, Size = processes.Length },
            Modules = [new ModuleImport(p.Library, $"/opt/conda/lib/python3.11/site-packages/{p.Library}/__init__.py") { Origin = Origin.BaseEnv }],
            Times = [new ImportTime(1_000_000_000L, 1_000_000_000L)],
        }).ToArray();
        var summaries = SummaryBuilder.Summarize(records).ToArray();
        _opened.Store.Ingest(SummaryFixtures.BatchOf($"{node}-{_pid}", node, summaries), DateTime.UtcNow);
    }

    [Fact]
    public void Each_library_gets_its_share_of_the_node_hours_of_the_jobs_that_imported_it()
    {
        var rows = new ImportCostReport().Run(new ReportData(_opened.Store), Query()).Rows.ToDictionary(r => (string)r[0]);

        Assert.Equal(7L, rows["numpy"][1]); // the login node's process is timed
        Assert.Equal((7 + 8.0 / 3) / 3600, (double)rows["numpy"][5], 12);
        Assert.Equal(8.0 / 3600, (double)rows["scipy"][5], 12);
    }

    [Fact]
    public void An_accounting_record_imported_after_a_report_counts_in_the_next()
    {
        long Nodes() => (long)new ImportCostJobsReport().Run(new ReportData(_opened.Store), Query()).Rows.Single(r => (string)r[0] == "5003")[2];
        Assert.Equal(8L, Nodes());

        // The accounting record, which wins over what the processes said, comes after the report read the records.
        _opened.Store.ImportPbs(PbsLogs.Read(PbsLogs.EndLine("5003.polaris-pbs-01", "Resource_List.nodect=16") + "\n").Records, DateTime.UtcNow);
        Assert.Equal(16L, Nodes());

        // The day's periods built, then the summaries and the accounting records pruned: the processes' word again.
        RollupPeriods.Build(_opened.Store, Start.AddDays(2), 3650, TimeSpan.FromMinutes(1));
        _opened.Store.Prune(DateTime.UtcNow.AddDays(91), 90, 3650);
        Assert.Equal(8L, Nodes());
    }

    [Fact]
    public void The_jobs_that_pay_most_come_first_with_their_nodes_processes_and_times()
    {
        var table = new ImportCostJobsReport().Run(new ReportData(_opened.Store), Query());

        Assert.Equal(["job", "user", "nodes", "processes", "import-seconds", "slowest-node-seconds", "node-hours"], table.Columns);
        Assert.Equal(["5001", "5003", "5002"], table.Rows.Select(r => (string)r[0]));
        Assert.Equal(new object[] { "5001", "alice", 4L, 4L, 16.0, 7.0 }, table.Rows[0][..6]);
        Assert.Equal(28.0 / 3600, (double)table.Rows[0][6], 12);
        Assert.Equal(new object[] { "5003", "alice", 8L, 1L, 1.0, 1.0 }, table.Rows[1][..6]);
        Assert.Equal(new object[] { "5002", "alice", 2L, 2L, 3.0, 2.0 }, table.Rows[2][..6]);
        Assert.Equal(4.0 / 3600, (double)table.Rows[2][6], 12);
    }

    [Fact]
    public void Ranks_importing_at_once_count_once_and_runs_one_after_another_add_up()
    {
        DateTime t = Start;
        Assert.Equal(5_000_000_000L, JobUse.UnitedNs([(t, 3_000_000_000L), (t, 5_000_000_000L)]));
        Assert.Equal(6_000_000_000L, JobUse.UnitedNs([(t, 3_000_000_000L), (t.AddSeconds(2), 4_000_000_000L)]));
        Assert.Equal(7_000_000_000L, JobUse.UnitedNs([(t.AddSeconds(60), 2_000_000_000L), (t, 5_000_000_000L)]));
        Assert.Equal(0L, JobUse.UnitedNs([]));
        // Starts ten thousand years apart, as a lying node could send: no overflow.
        Assert.Equal(2L, JobUse.UnitedNs([(DateTime.MinValue, 100), (DateTime.MaxValue.AddSeconds(-1), 100)]) / 100);
    }
}
