using Polaris.Collector.Reports;
using Polaris.Collector.Storage;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests.Reports;

/// <summary>The reports over modules, shared objects, versions and jobs answer the same from the periods' uses as from
/// the stored summaries, and go on answering once the summaries are pruned.</summary>
public class PeriodUsesTests : IDisposable
{
    private static readonly DateTime Now = DateTime.UtcNow.Date.AddHours(12);
    private static readonly DateOnly LastMonth = new DateOnly(Now.Year, Now.Month, 1).AddMonths(-1);
    private readonly TempDirectory _dir = new();
    private readonly TestStore _opened;
    private int _keys;

    public PeriodUsesTests()
    {
        _opened = new TestStore(_dir.Path, domainOf: account => account == "CompSciProj" ? "Computer Science" : "Climate");
        // Job 601 of user 1001 on two nodes on the 3rd of last month and again on the 4th (it ran over midnight);
        // job 602 of user 1002 on the 4th; user 1003 outside a job on the 10th; job 603 of 1001 today.
        Add(LastMonth.AddDays(2).ToDateTime(new TimeOnly(23, 0)), "601", 1001, "n1", 4, "CompSciProj", "1.26.4");
        Add(LastMonth.AddDays(2).ToDateTime(new TimeOnly(23, 0)), "601", 1001, "n2", 4, "CompSciProj", "1.26.4");
        Add(LastMonth.AddDays(3).ToDateTime(new TimeOnly(1, 0)), "601", 1001, "n1", 2, "CompSciProj", "1.26.4");
        Add(LastMonth.AddDays(3).ToDateTime(new TimeOnly(9, 0)), "602", 1002, "n3", 1, "ClimateProj", "2.0.1");
        Add(LastMonth.AddDays(9).ToDateTime(new TimeOnly(9, 0)), "", 1003, "login1", 1, "", "2.0.1");
        Add(Now, "603", 1001, "n1", 2, "CompSciProj", "1.26.4");
    }

    private void Add(DateTime start, string job, uint uid, string node, int ranks, string account, string numpyVersion)
    {
        var summary = SummaryBuilder.Summarize(Enumerable.Range(0, ranks).Select(rank => new ProcessRecord
        {
            Host = node, Uid = uid, User = "user" + uid, Pid = 1000 + rank,
            RecordId = $"{node}:{1000 + rank}.{start.Ticks}",
            StartedAtMs = new DateTimeOffset(start, TimeSpan.Zero).ToUnixTimeMilliseconds() + (rank * 10),
            EndedAtMs = new DateTimeOffset(start, TimeSpan.Zero).ToUnixTimeMilliseconds() + 60_000,
            Environment = new PythonEnvironment { Kind = EnvironmentKind.CondaEnv, Prefix = "/home/u/envs/x" },
            Job = job.Length == 0 ? new JobContext() : new JobContext { JobId = job + ".polaris-pbs-01", Account = account, Queue = "prod", NodeCount = 2, Rank = rank, Size = ranks },
            Modules =
            [
                new ModuleImport("numpy", "/home/u/envs/x/lib/python3.11/site-packages/numpy/__init__.py") { Origin = Origin.CustomEnv, Version = numpyVersion },
                new ModuleImport("numpy.linalg", "/home/u/envs/x/lib/python3.11/site-packages/numpy/linalg/__init__.py") { Origin = Origin.CustomEnv },
                new ModuleImport("numpy.core._multiarray_umath", "/home/u/envs/x/lib/python3.11/site-packages/numpy/core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so") { Origin = Origin.CustomEnv, Kind = ModuleKind.Extension },
                new ModuleImport("yaml", "/opt/conda/lib/python3.11/site-packages/yaml/__init__.py") { Origin = Origin.BaseEnv, Version = "6.0.1" },
            ],
            Times = [new ImportTime(400_000_000, 300_000_000), new ImportTime(5_000_000, 5_000_000), new ImportTime(1_000_000, 1_000_000), new ImportTime(20_000_000, 20_000_000)],
            SharedObjects = [new SharedObject("/usr/lib/x86_64-linux-gnu/libcudart.so.12"), new SharedObject("/opt/lib/libopenblas.so.0")],
        })).Single();
        _opened.Store.Ingest(SummaryFixtures.BatchOf($"k{_keys++}", node, summary), Now);
        _opened.Store.Fold();
    }

    private static ReportQuery Query(string? domain = null, params string[] libraries) =>
        new() { Since = LastMonth, Until = DateOnly.FromDateTime(Now), Domain = domain, Libraries = libraries };

    private static readonly (IReport Report, ReportQuery Query)[] Asked =
    [
        (new SubmodulesReport(), Query(null, "numpy")),
        (new SubmodulesReport(), Query("Computer Science", "numpy")),
        (new SharedObjectsReport(), Query()),
        (new SharedObjectsReport(), Query("Climate")),
        (new ProvisioningReport(), Query()),
        (new ProvisioningReport(), Query("Computer Science")),
        (new ImportCostReport(), Query()),
        (new ImportCostJobsReport(), Query()),
        (new CoverageJobsReport(), Query()),
        (new CoverageJobsReport(), Query("Climate")),
    ];

    private string[][] Answers() =>
        [.. Asked.Select(a => a.Report.Run(new ReportData(_opened.Store), a.Query).Rows.Select(r => string.Join("|", r)).ToArray())];

    [Fact]
    public void Each_report_answers_the_same_from_built_days_and_months_and_after_the_summaries_are_pruned()
    {
        var fromSummaries = Answers();
        Assert.All(fromSummaries, rows => Assert.NotEmpty(rows));

        // Three past days and last month; today and this month are not over.
        Assert.Equal(4, RollupPeriods.Build(_opened.Store, Now, 3650, TimeSpan.FromMinutes(1)));
        Assert.True(_opened.Store.PeriodBuilt(RecordSource.Agent, CollectorStore.MonthPeriod(CollectorStore.MonthOf(LastMonth))));
        Assert.Equal(fromSummaries, Answers());

        // Summaries kept one day: last month's are gone, its uses stay.
        _opened.Store.Prune(Now, 1, 3650);
        Assert.Empty(_opened.Store.UsesOn(LastMonth.AddDays(2)));
        Assert.Equal(fromSummaries, Answers());
    }

    [Fact]
    public void The_figures_are_those_of_the_summaries()
    {
        RollupPeriods.Build(_opened.Store, Now, 3650, TimeSpan.FromMinutes(1));
        var answers = Answers();

        // numpy: users 1001, 1002, 1003; processes 4+4+2+1+1+2. In Computer Science: 1001 alone, 4+4+2+2.
        Assert.Contains("numpy|unknown|3|14", answers[0]);
        Assert.Contains("numpy.core._multiarray_umath|extension|3|14", answers[0]);
        Assert.Contains("numpy|unknown|1|12", answers[1]);
        // libcudart: three users, jobs 601, 602 and 603 (none for 1003's login node), 14 processes.
        Assert.Contains("libcudart.so.12|3|3|14", answers[2]);
        Assert.Contains("libcudart.so.12|1|1|1", answers[3]);
        // numpy from a custom environment: two domains and none (outside a job), two versions; yaml, from the base, is
        // no candidate.
        Assert.Equal(["numpy|3|3|14|2.0.1 (2), 1.26.4 (1)"], answers[4].Select(r => string.Join("|", r.Split('|').Take(5))));
        // Coverage of job 601: 4 + 4 + 2 agent processes over two days; in Climate only job 602.
        Assert.Contains(answers[8], r => r.StartsWith("601|agent|10", StringComparison.Ordinal));
        Assert.Equal(["602|agent|1"], answers[9].Select(r => string.Join("|", r.Split('|').Take(3))));
        // Job 601: two nodes seen, two per its processes; n1's two launches add up.
        Assert.Contains(answers[7], r => r.StartsWith("601|user1001|2|10|", StringComparison.Ordinal));
    }

    [Fact]
    public void Records_imported_for_a_day_past_retention_wait_for_their_period_and_a_later_import_adds_to_it()
    {
        var day = DateOnly.FromDateTime(Now).AddDays(-200);
        int Users()
        {
            var rows = new SubmodulesReport().Run(new ReportData(_opened.Store), Query(null, "numpy") with { Since = day, Until = day }).Rows;
            Assert.True(rows.Count == 1, string.Join("; ", rows.Select(r => string.Join("|", r))));
            return (int)(long)rows[0][2];
        }
        void Import(string user) => _opened.Store.Ingest(SummaryFixtures.BatchOf($"x-{user}", "importer",
            SummaryFixtures.Job("vm", "9" + user.Length, 0, 1, day.ToDateTime(new TimeOnly(9 + user.Length, 0), DateTimeKind.Utc), ["numpy@custom-env"]) with { Source = RecordSource.Xalt, User = user }),
            Now, imported: true);

        Import("a");
        _opened.Store.Fold();
        // Past retention as soon as stored, yet the prune leaves them until the day's period is built from them.
        _opened.Store.Prune(Now, 90, 3650);
        Assert.NotEmpty(_opened.Store.UsesOn(day));
        RollupPeriods.Build(_opened.Store, Now, 3650, TimeSpan.FromMinutes(1));
        _opened.Store.Prune(Now, 90, 3650);
        Assert.Empty(_opened.Store.UsesOn(day));
        Assert.Equal(1, Users());

        // Another user's records of the same day: counted with the first's, which only the period still holds, before
        // and after it is built again.
        Import("bb");
        _opened.Store.Fold();
        Assert.False(_opened.Store.PeriodBuilt(RecordSource.Xalt, CollectorStore.DayPeriod(day)));
        // Its module table is the first's, which the prune took: stored again, not referred to.
        Assert.All(_opened.Store.UsesOn(day), u => Assert.NotNull(u.Uses));
        Assert.Equal(2, Users());
        RollupPeriods.Build(_opened.Store, Now, 3650, TimeSpan.FromMinutes(1));
        _opened.Store.Prune(Now, 90, 3650);
        Assert.Equal(2, Users());
    }

    [Fact]
    public void Made_up_module_names_are_refused_and_counted_and_another_users_modules_stay()
    {
        var day = LastMonth.AddDays(14);
        var start = day.ToDateTime(new TimeOnly(8, 0), DateTimeKind.Utc);
        // One user's records name modules no Python package has: a '|' (the store's key separator, which would reach
        // into numpy's section) and a 300-character top level (past an index key); another user's are plain.
        _opened.Store.Ingest(SummaryFixtures.BatchOf("m1", "n9", SummaryFixtures.Job("n9", "701", 2001, 1, start, ["numpy|0.x", new string('a', 300) + ".b", "numpy"])), Now);
        _opened.Store.Ingest(SummaryFixtures.BatchOf("g1", "n8", SummaryFixtures.Job("n8", "702", 2002, 1, start, ["numpy", "numpy.fft"])), Now);
        _opened.Store.Fold();
        string[] Modules() => [.. new SubmodulesReport().Run(new ReportData(_opened.Store), Query(null, "numpy") with { Since = day, Until = day }).Rows.Select(r => $"{r[0]}|{r[2]}")];

        var fromSummaries = Modules();
        long dropped = 0;
        RollupPeriods.Build(_opened.Store, Now, 3650, TimeSpan.FromMinutes(1), usesDropped: n => dropped += n);

        Assert.Equal(["numpy|2", "numpy.fft|1"], fromSummaries);
        Assert.Equal(fromSummaries, Modules());
        Assert.Equal(2, dropped);
    }

    public void Dispose()
    {
        _opened.Dispose();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
