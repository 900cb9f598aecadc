using System.Text;
using Polaris.Collector.Scheduler;
using Polaris.Testing;

namespace Polaris.Collector.Tests.Scheduler;

/// <summary>The store's side of importing accounting logs: one winning record per job, attached to the job whenever
/// it arrives, and nothing changed by importing it again.</summary>
public class PbsImportStoreTests
{
    [Fact]
    public void The_log_before_or_after_the_summaries_gives_the_same_jobs()
    {
        using var before = new TempDirectory();
        using var after = new TempDirectory();
        using (var opened = new TestStore(before.Path))
        {
            var report = PbsFixtureJobs.Import(opened.Store);
            Assert.Equal((0, 4, 0), (report.JobsUpdated, report.JobsNotSeen, report.RecordsKnown));
            PbsFixtureJobs.Ingest(opened.Store);
            opened.Store.Fold();
        }
        using (var opened = new TestStore(after.Path))
        {
            // Not folded yet: the jobs are in memory only when the log arrives.
            PbsFixtureJobs.Ingest(opened.Store);
            var report = PbsFixtureJobs.Import(opened.Store);
            Assert.Equal((3, 1, 0), (report.JobsUpdated, report.JobsNotSeen, report.RecordsKnown));
            opened.Store.Fold();
        }

        var jobs = PbsFixtureJobs.Documents(after.Path, "jobs");
        Assert.Equal(PbsFixtureJobs.Documents(before.Path, "jobs"), jobs);
        Assert.Equal(PbsFixtureJobs.Documents(before.Path, "pbs").Split('\n').Length, PbsFixtureJobs.Documents(after.Path, "pbs").Split('\n').Length);
        var ended = PbsFixtureJobs.Job(after.Path, "1234501");
        Assert.Equal((2, 26 * 3600 + 9 * 60 + 58L, 0), (ended["pbsnodes"].AsInt32, ended["walltime"].AsInt64, ended["exit"].AsInt32));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1744719003).UtcDateTime, ended["ended"].AsDateTime.ToUniversalTime());
        Assert.Equal(("prod", "ClimateAI", 2001L, 4L), (ended["queue"].AsString, ended["account"].AsString, ended["uid"].AsInt64, ended["home"].AsInt64));
        var failed = PbsFixtureJobs.Job(after.Path, "1234502");
        Assert.Equal((-1, "debug", "Fusion_DD"), (failed["exit"].AsInt32, failed["queue"].AsString, failed["account"].AsString));
        var running = PbsFixtureJobs.Job(after.Path, "1234777");
        Assert.Equal((512, 1), (running["pbsnodes"].AsInt32, running["nodes"].AsInt32));
        Assert.True(running["ended"].IsNull && running["exit"].IsNull && running["walltime"].IsNull);
        Assert.DoesNotContain("1234600", jobs, StringComparison.Ordinal);
    }

    [Fact]
    public void Importing_the_same_log_twice_changes_nothing()
    {
        using var dir = new TempDirectory();
        string jobs, records;
        using (var opened = new TestStore(dir.Path))
        {
            PbsFixtureJobs.Ingest(opened.Store);
            opened.Store.Fold();
            PbsFixtureJobs.Import(opened.Store);
        }
        (jobs, records) = (PbsFixtureJobs.Documents(dir.Path, "jobs"), PbsFixtureJobs.Documents(dir.Path, "pbs"));

        using (var opened = new TestStore(dir.Path))
        {
            var again = PbsFixtureJobs.Import(opened.Store);
            Assert.Equal((0, 0, 7), (again.JobsUpdated, again.JobsNotSeen, again.RecordsKnown));
            Assert.Equal((3, 4), (again.EndRecords, again.StartRecords));
        }

        Assert.Equal(jobs, PbsFixtureJobs.Documents(dir.Path, "jobs"));
        Assert.Equal(records, PbsFixtureJobs.Documents(dir.Path, "pbs"));
    }

    [Fact]
    public void An_end_record_is_kept_over_a_start_record_whichever_log_comes_first()
    {
        using var dir = new TempDirectory();
        var end = Log(dir, "end.log", PbsLogs.EndLine("1234501.polaris-pbs-01", "Resource_List.nodect=2"));
        var rerun = Log(dir, "start.log", "04/15/2025 09:00:00;S;1234501;user=alice queue=prod Resource_List.nodect=9 start=1744707600");
        using var opened = new TestStore(dir.Combine("data"));
        PbsFixtureJobs.Ingest(opened.Store);

        PbsFixtureJobs.Import(opened.Store, end);
        var later = PbsFixtureJobs.Import(opened.Store, rerun);

        Assert.Equal((0, 1), (later.JobsUpdated, later.RecordsKnown));
        var job = opened.Store.Jobs.Get("1234501");
        Assert.Equal((2, 0), (job.AccountedNodes, job.ExitStatus));
        Assert.NotNull(job.EndedUtc);
    }

    [Fact]
    public void Records_of_jobs_not_seen_yet_wait_for_their_summaries_across_many_transactions()
    {
        using var dir = new TempDirectory();
        var lines = Enumerable.Range(0, 2500).Select(i => PbsLogs.EndLine($"{5_000_000 + i}.polaris-pbs-01", $"Resource_List.nodect={1 + (i % 7)}"));
        var log = Log(dir, "many.log", string.Join('\n', lines));
        using (var opened = new TestStore(dir.Combine("data")))
        {
            var first = PbsFixtureJobs.Import(opened.Store, log);
            var again = PbsFixtureJobs.Import(opened.Store, log);

            Assert.Equal((0, 2500, 0), (first.JobsUpdated, first.JobsNotSeen, first.RecordsKnown));
            Assert.Equal((0, 0, 2500), (again.JobsUpdated, again.JobsNotSeen, again.RecordsKnown));
        }

        // After a restart, a job's summaries find its record.
        using var reopened = new TestStore(dir.Combine("data"));
        reopened.Store.Ingest(SummaryFixtures.BatchOf("late", "n1", SummaryFixtures.Job("n1", "5002000", 7, 1, DateTime.UtcNow, ["numpy"])), DateTime.UtcNow);
        var job = reopened.Store.Jobs.Get("5002000");
        Assert.Equal((1 + (2000 % 7), 0), (job.AccountedNodes, job.ExitStatus));
        Assert.Equal(1 + (2000 % 7), job.NodeCount);
    }

    [Fact]
    public void A_home_loading_series_takes_the_accounted_node_count_and_goes_with_the_end_record()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Combine("data"));
        var now = DateTime.UtcNow;
        opened.Store.Ingest(SummaryFixtures.BatchOf("home", "n1", SummaryFixtures.Job("n1", "4242.polaris-pbs-01", 7, 3, now.AddMinutes(-1), ["scipy@home"], nodes: 1)), now);
        Assert.Equal(3, MetricsText.Value(opened.Text(), "polaris_home_loading_job_processes{pbs_job=\"4242\",nodes=\"1\"}"));

        PbsImport.Run(opened.Store, Stream(Line(now, 'S', "4242", "queue=prod Resource_List.nodect=4")), TimeZoneInfo.Utc, now);

        var text = opened.Text();
        Assert.Null(MetricsText.Value(text, "polaris_home_loading_job_processes{pbs_job=\"4242\",nodes=\"1\"}"));
        Assert.Equal(3, MetricsText.Value(text, "polaris_home_loading_job_processes{pbs_job=\"4242\",nodes=\"4\"}"));
        Assert.Equal(4, MetricsText.Value(text, "polaris_home_loading_job_nodes{pbs_job=\"4242\"}"));

        PbsImport.Run(opened.Store, Stream(Line(now, 'E', "4242.polaris-pbs-01", "queue=prod Resource_List.nodect=4 Exit_status=0")), TimeZoneInfo.Utc, now);

        text = opened.Text();
        Assert.Null(MetricsText.Value(text, "polaris_home_loading_job_processes{pbs_job=\"4242\"}"));
        Assert.Null(MetricsText.Value(text, "polaris_home_loading_job_nodes{pbs_job=\"4242\"}"));
        Assert.Null(MetricsText.Value(text, "polaris_home_loading_job_uid{pbs_job=\"4242\"}"));
    }

    /// <summary>An accounting line of <paramref name="type"/> written at <paramref name="utc"/> (the log in UTC).</summary>
    internal static string Line(DateTime utc, char type, string id, string attributes) =>
        $"{utc.ToString("MM/dd/yyyy HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)};{type};{id};user=u group=g account=A {attributes}\n";

    private static MemoryStream Stream(string log) => new(Encoding.UTF8.GetBytes(log));

    private static string Log(TempDirectory dir, string name, string text)
    {
        var path = dir.Combine(name);
        File.WriteAllText(path, text + "\n");
        return path;
    }
}
