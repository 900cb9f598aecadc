using System.Text;
using Polaris.Collector.Aggregation;
using Polaris.Collector.Scheduler;
using Polaris.Testing;

namespace Polaris.Collector.Tests.Scheduler;

public class JobKeyTests
{
    [Theory]
    [InlineData("1234501", "1234501")]
    [InlineData("1234501.polaris-pbs-01", "1234501")]
    [InlineData("1234501.polaris-pbs-01.hsn.cm.polaris.alcf.anl.gov", "1234501")]
    [InlineData("1234[5].polaris-pbs-01", "1234[5]")]
    [InlineData("1234[5]", "1234[5]")]
    [InlineData("1234[].polaris-pbs-01", "1234[]")]
    public void Both_spellings_of_an_id_give_one_key(string id, string key) => Assert.Equal(key, JobKey.Of(id));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".polaris-pbs-01")]
    [InlineData("12\t34")]
    [InlineData("1234\n.server")]
    [InlineData("1234\0")]
    [InlineData("1234\u007f")]
    [InlineData("1234\u0085")]
    public void Ids_without_a_usable_key_give_none(string? id) => Assert.Null(JobKey.Of(id));

    [Fact]
    public void Ids_with_a_lone_surrogate_give_none()
    {
        // Built at run time: an attribute's string is stored as UTF-8, which cannot hold a lone surrogate.
        Assert.Null(JobKey.Of("1234" + (char)0xD800 + ".server"));
        Assert.Null(JobKey.Of("1234" + (char)0xDC00));
        Assert.Equal("1234😀", JobKey.Of("1234😀.server"));
    }

    [Fact]
    public void Ids_are_bounded_in_utf8_bytes()
    {
        Assert.Equal(new string('7', 128), JobKey.Of(new string('7', 128)));
        Assert.Null(JobKey.Of(new string('7', 129)));
        Assert.Null(JobKey.Of("1." + new string('h', 127)));
        // Three bytes each: 42 fit in 128 bytes, 43 do not.
        Assert.NotNull(JobKey.Of(new string('€', 42)));
        Assert.Null(JobKey.Of(new string('€', 43)));
    }

    /// <summary>Ids as a job's summaries and its accounting records may spell them, with the key both must give ("":
    /// none); a log line cannot hold a newline or a lone surrogate, so those are left to the tests above.</summary>
    public static TheoryData<string, string> Spellings => new()
    {
        { "1234501", "1234501" },
        { "1234501.polaris-pbs-01", "1234501" },
        { "1234[5].polaris-pbs-01", "1234[5]" },
        { ".polaris-pbs-01", "" },
        { "12\t34", "" },
        { "1234\u007f.polaris-pbs-01", "" },
        { new string('7', 128), new string('7', 128) },
        { new string('7', 129), "" },
        { "1234501." + new string('h', 121), "" },
        { new string('€', 43), "" },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public void A_summary_and_an_accounting_record_of_one_id_get_one_key(string id, string key)
    {
        var summary = SummaryFixtures.Job("n1", id, 1001, 1, DateTime.UtcNow, ["numpy"]);
        var (records, read) = PbsLogs.Read(PbsLogs.EndLine(id));

        var ofSummary = SummaryFactsBuilder.Of(summary, _ => "d", Days.Of(DateTime.UtcNow)).JobKey;
        var ofRecord = records.SingleOrDefault()?.JobKey ?? "";

        Assert.Equal(key, ofSummary);
        Assert.Equal(key, ofRecord);
        Assert.Equal(key.Length == 0 ? 1 : 0, read.MalformedLines);
    }

    [Fact]
    public void A_summary_whose_job_id_has_no_key_counts_outside_any_job_and_meets_no_accounting_record()
    {
        using var dir = new TempDirectory();
        var now = DateTime.UtcNow;
        var tooLong = "1234501." + new string('h', 121);
        using (var opened = new TestStore(dir.Path))
        {
            opened.Store.Ingest(SummaryFixtures.BatchOf("long", "n1", SummaryFixtures.Job("n1", tooLong, 7, 2, now.AddMinutes(-5), ["numpy"])), now);
            opened.Store.Ingest(SummaryFixtures.BatchOf("control", "n2", SummaryFixtures.Job("n2", "1234502\u0001", 7, 1, now.AddMinutes(-5), ["numpy"])), now);
            opened.Store.Ingest(SummaryFixtures.BatchOf("short", "n3", SummaryFixtures.Job("n3", "1234503", 8, 1, now.AddMinutes(-5), ["numpy"])), now);
            opened.Store.Ingest(SummaryFixtures.BatchOf("full", "n4", SummaryFixtures.Job("n4", "1234503.polaris-pbs-01", 8, 1, now.AddMinutes(-5), ["numpy"])), now);

            // The log spells 1234501 short (the key the long id had before one rule), and the long id as the summary does.
            var log = PbsImportStoreTests.Line(now, 'E', "1234501", "Resource_List.nodect=2 Exit_status=0")
                + PbsImportStoreTests.Line(now, 'E', tooLong, "Resource_List.nodect=2 Exit_status=0")
                + PbsImportStoreTests.Line(now, 'E', "1234503.polaris-pbs-01", "Resource_List.nodect=1 Exit_status=0");
            var report = PbsImport.Run(opened.Store, new MemoryStream(Encoding.UTF8.GetBytes(log)), TimeZoneInfo.Utc, now);

            Assert.Equal((1, 1, 1), (report.JobsUpdated, report.JobsNotSeen, report.MalformedLines));
            Assert.False(opened.Store.Jobs.Holds("1234501"));
            var text = opened.Text();
            Assert.Equal(1, MetricsText.Value(text, "polaris_jobs_total"));
            Assert.Equal(3, MetricsText.Value(text, "polaris_python_processes_total{domain=\"none\"}"));
            Assert.Equal(2, MetricsText.Value(text, "polaris_python_processes_total{domain=\"unknown\"}"));
            Assert.Equal(2, MetricsText.Value(text, "polaris_collector_summaries_clipped_total{reason=\"job_id\"}"));
        }

        // Counted again as such by a restart that folds them again (no fold ran).
        using var reopened = new TestStore(dir.Path);
        Assert.Equal(2, MetricsText.Value(reopened.Text(), "polaris_collector_summaries_clipped_total{reason=\"job_id\"}"));
        Assert.Equal(1, MetricsText.Value(reopened.Text(), "polaris_jobs_total"));
    }
}
