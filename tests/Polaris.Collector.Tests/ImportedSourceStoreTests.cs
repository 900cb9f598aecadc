using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests;

/// <summary>Summaries imported from other tools (docs/analysis.md): they fold into their source's roll-ups on their own
/// day, never into the agent's roll-ups, totals or metrics; sources cannot pass for one another; users named by an
/// import count as the uid the agent showed for the name; and everything holds across a restart and a prune.</summary>
public class ImportedSourceStoreTests
{
    private static readonly DateTime Now = DateTime.UtcNow;

    private static ProcessSummary Imported(RecordSource source, string user, string job, DateTime startUtc, params string[] modules) =>
        SummaryFixtures.Job("vm", job, uid: 0, ranks: 1, startUtc, modules) with { Source = source, User = user, Uid = 0 };

    private static DateOnly Day(DateTime utc) => DateOnly.FromDateTime(utc);

    [Fact]
    public void An_imported_summary_folds_into_its_sources_roll_ups_on_its_own_day_and_nowhere_in_the_agents()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        var longAgo = Now.AddDays(-400);

        var result = opened.Store.Ingest(SummaryFixtures.BatchOf("xalt:run-1", "importer",
            Imported(RecordSource.Xalt, "asmith", "1234501", longAgo, "numpy", "scipy.linalg")), Now, imported: true);
        opened.Store.Fold();

        Assert.Equal((1, 0), (result.Summaries, result.Refused.Count));
        var xalt = opened.Store.Rollups(Day(longAgo), Day(longAgo), null, RecordSource.Xalt).ToDictionary(r => r.Library);
        Assert.Equal(["", "numpy", "scipy"], xalt.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["1234501"], xalt["numpy"].Jobs);
        Assert.Empty(opened.Store.Rollups(Day(longAgo), Day(Now), null));
        Assert.Empty(opened.Store.Rollups(Day(longAgo), Day(Now), null, RecordSource.PyModuleSnooper));
        Assert.False(opened.Store.Totals().Libraries.ContainsKey("numpy"));
        var text = opened.Text();
        Assert.Equal(0, MetricsText.Value(text, "polaris_python_processes_total") ?? 0);
        Assert.Null(MetricsText.Value(text, "polaris_library_processes_total{library=\"numpy\",environment_kind=\"base\",domain=\"unknown\"}"));
    }

    [Fact]
    public void Sources_cannot_pass_for_one_another_a_summary_of_the_other_kind_is_refused_alone()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        var agent = SummaryFixtures.Job("n1", "77", 1001, 1, Now.AddMinutes(-5), ["numpy"]);
        var xalt = Imported(RecordSource.Xalt, "asmith", "78", Now.AddMinutes(-5), "numpy");

        var posted = opened.Store.Ingest(SummaryFixtures.BatchOf("a1", "n1", agent, xalt), Now);
        var importedResult = opened.Store.Ingest(SummaryFixtures.BatchOf("i1", "importer", agent, xalt), Now, imported: true);
        opened.Store.Fold();

        Assert.Equal((1, 0), (posted.Refused.Single().Index, importedResult.Refused.Single().Index));
        Assert.Contains("/v1/imports", posted.Refused[0].Reason, StringComparison.Ordinal);
        Assert.Equal(1, MetricsText.Value(opened.Text(), "polaris_python_processes_total"));
        Assert.Equal(["78"], opened.Store.Rollups(Day(Now), Day(Now), ["numpy"], RecordSource.Xalt).Single().Jobs);
        Assert.Equal(["77"], opened.Store.Rollups(Day(Now), Day(Now), ["numpy"]).Single().Jobs);
    }

    [Fact]
    public void A_name_the_agent_showed_counts_as_its_uid_and_one_shown_first_by_an_import_becomes_an_alias()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        var start = Now.AddMinutes(-5);
        // user1001 is what SummaryFixtures names uid 1001.
        opened.Store.Ingest(SummaryFixtures.BatchOf("a1", "n1", SummaryFixtures.Job("n1", "1", 1001, 1, start, ["numpy"])), Now);
        opened.Store.Ingest(SummaryFixtures.BatchOf("i1", "importer", Imported(RecordSource.PyModuleSnooper, "user1001", "2", start, "numpy"),
            Imported(RecordSource.PyModuleSnooper, "bjones", "3", start, "numpy")), Now, imported: true);
        opened.Store.Fold();
        var users = opened.Store.Rollups(Day(start), Day(start), ["numpy"], RecordSource.PyModuleSnooper).Single().Users;

        Assert.Contains(1001L, users);
        long bjones = Assert.Single(users, u => u != 1001L);
        Assert.True(bjones >= 1L << 32);
        Assert.Empty(opened.Store.UserAliases());

        // The agent shows bjones's uid later: one user, two numbers, which reports unite.
        opened.Store.Ingest(SummaryFixtures.BatchOf("a2", "n1", SummaryFixtures.Job("n1", "4", 1002, 1, start, ["numpy"]) with { User = "bjones" }), Now);
        Assert.Equal(new Dictionary<long, long> { [bjones] = 1002 }, opened.Store.UserAliases());
    }

    [Fact]
    public void Importing_the_same_records_again_adds_nothing()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        var batch = SummaryFixtures.BatchOf("xalt:run-9", "importer", Imported(RecordSource.Xalt, "cwu", "9", Now.AddDays(-3), "numpy"));

        opened.Store.Ingest(batch, Now, imported: true);
        var again = opened.Store.Ingest(batch, Now, imported: true);
        opened.Store.Fold();

        Assert.True(again.Duplicate);
        Assert.Equal(1, opened.Store.Rollups(Day(Now.AddDays(-3)), Day(Now.AddDays(-3)), ["numpy"], RecordSource.Xalt).Single().Processes);
    }

    [Fact]
    public void An_import_stored_but_not_folded_is_folded_after_a_restart_and_a_prune_waits_for_the_fold()
    {
        using var dir = new TempDirectory();
        var longAgo = Now.AddDays(-200);
        using (var opened = new TestStore(dir.Path))
        {
            opened.Store.Ingest(SummaryFixtures.BatchOf("xalt:run-2", "importer", Imported(RecordSource.Xalt, "dpatel", "5", longAgo, "torch")), Now, imported: true);
            // 200 days old, past the 90 kept: a prune before the fold must leave it for the fold to count.
            Assert.Equal(0, opened.Store.Prune(Now, retentionDays: 90, rollupRetentionDays: 3650)["summaries"]);
        }

        using var reopened = new TestStore(dir.Path);
        Assert.Equal(1, reopened.Store.Rollups(Day(longAgo), Day(longAgo), ["torch"], RecordSource.Xalt).Single().Processes);
        Assert.Equal(0, MetricsText.Value(reopened.Text(), "polaris_python_processes_total") ?? 0);
        // Past retention, it waits for its day's period too (built from it), then goes.
        Assert.Equal(0, reopened.Store.Prune(Now, retentionDays: 90, rollupRetentionDays: 3650)["summaries"]);
        Polaris.Collector.Reports.RollupPeriods.Build(reopened.Store, Now, 3650, TimeSpan.FromMinutes(1));
        Assert.Equal(1, reopened.Store.Prune(Now, retentionDays: 90, rollupRetentionDays: 3650)["summaries"]);
        Assert.Equal(1, reopened.Store.Rollups(Day(longAgo), Day(longAgo), ["torch"], RecordSource.Xalt).Single().Processes);
    }
}
