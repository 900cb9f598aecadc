using Polaris.Collector.Reports;
using Polaris.Collector.Storage;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests.Reports;

/// <summary>The roll-ups of past days and months answer as the days they unite: the same reports before and after a month is built, a month
/// a late import changes is read from its days again until it is built again, and a query that starts inside a month
/// reads that month's days.</summary>
public class RollupPeriodTests : IDisposable
{
    private static readonly DateTime Now = DateTime.UtcNow.Date.AddHours(12);
    private static readonly DateOnly ThisMonth = new(Now.Year, Now.Month, 1);
    private readonly TempDirectory _dir = new();
    private readonly TestStore _opened;
    private int _keys;

    public RollupPeriodTests()
    {
        _opened = new TestStore(_dir.Path, domainOf: account => account == "CompSciProj" ? "Computer Science" : "unknown");
        var twoAgo = ThisMonth.AddMonths(-2);
        var lastMonth = ThisMonth.AddMonths(-1);
        // XALT in two past months: user a on the 3rd and 20th of the month before last (job 301 and 302), user b on
        // the 20th (job 303); user a again last month (job 401); the agent today.
        Import(twoAgo.AddDays(2), "301", "a", ["numpy", "scipy"], "CompSciProj");
        Import(twoAgo.AddDays(19), "302", "a", ["numpy"], "CompSciProj");
        Import(twoAgo.AddDays(19), "303", "b", ["torch"], "ClimateProj");
        Import(lastMonth.AddDays(4), "401", "a", ["numpy", "torch"], "CompSciProj");
        _opened.Store.Ingest(SummaryFixtures.BatchOf("agent", "n1", SummaryFixtures.Job("n1", "501", 1001, 2, Now, ["numpy"], EnvironmentKind.BaseEnv, "CompSciProj")), Now);
        _opened.Store.Fold();
    }

    private void Import(DateOnly day, string job, string user, string[] libraries, string account)
    {
        var summary = SummaryFixtures.Job("vm", job, 0, 1, day.ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc), libraries, EnvironmentKind.CondaEnv, account)
            with { Source = RecordSource.Xalt, User = user };
        _opened.Store.Ingest(SummaryFixtures.BatchOf($"x{_keys++}", "importer", summary), Now, imported: true);
        _opened.Store.Fold();
    }

    private static ReportQuery Since(DateOnly since, string? domain = null) =>
        new() { Since = since, Until = DateOnly.FromDateTime(Now), Domain = domain };

    private string[] Rows(IReport report, ReportQuery query) =>
        report.Run(new ReportData(_opened.Store), query).Rows.Select(r => string.Join("|", r)).ToArray();

    private int Build() => RollupPeriods.Build(_opened.Store, Now, 3650, TimeSpan.FromMinutes(1));

    private bool MonthBuilt(RecordSource source, DateOnly month) => _opened.Store.PeriodBuilt(source, CollectorStore.MonthPeriod(CollectorStore.MonthOf(month)));

    [Fact]
    public void Reports_answer_the_same_from_month_roll_ups_as_from_the_days()
    {
        var since = ThisMonth.AddMonths(-2);
        IReport[] reports = [new LibrariesReport(), new DomainsReport(), new CoverageReport(), new OriginsReport(), new EnvironmentsReport()];
        var fromDays = reports.Select(r => Rows(r, Since(since))).ToArray();
        var domainFromDays = Rows(new LibrariesReport(), Since(since, "Computer Science"));

        // XALT's three past days and two past months; the agent has only today, and the current month.
        Assert.Equal(5, Build());
        Assert.True(MonthBuilt(RecordSource.Xalt, since));
        Assert.False(MonthBuilt(RecordSource.Agent, ThisMonth));
        Assert.Equal(0, Build());

        for (int i = 0; i < reports.Length; i++)
        {
            Assert.Equal(fromDays[i], Rows(reports[i], Since(since)));
        }
        Assert.Equal(domainFromDays, Rows(new LibrariesReport(), Since(since, "Computer Science")));
        // numpy: users a (XALT) and 1001 (agent); jobs 301, 302, 401, 501.
        Assert.Contains(Rows(new LibrariesReport(), Since(since)), r => r.StartsWith("numpy|2|4|5|", StringComparison.Ordinal));
    }

    [Fact]
    public void A_late_import_into_a_built_month_is_counted_at_once_and_the_month_is_built_again()
    {
        var since = ThisMonth.AddMonths(-2);
        Build();
        Import(since.AddDays(25), "304", "c", ["numpy"], "CompSciProj");

        Assert.False(MonthBuilt(RecordSource.Xalt, since));
        var fromDays = Rows(new LibrariesReport(), Since(since));
        Assert.Contains(fromDays, r => r.StartsWith("numpy|3|5|6|", StringComparison.Ordinal));

        Assert.Equal(2, Build()); // the new day, and its month again
        Assert.Equal(fromDays, Rows(new LibrariesReport(), Since(since)));
    }

    [Fact]
    public void A_query_that_starts_inside_a_built_month_reads_that_months_days()
    {
        var since = ThisMonth.AddMonths(-2).AddDays(10);
        Build();

        // Job 301 (the 3rd) is before the query: numpy's XALT jobs are 302 and 401, and scipy is not seen at all.
        var rows = Rows(new LibrariesReport(), Since(since) with { Sources = [RecordSource.Xalt] });
        Assert.Contains(rows, r => r.StartsWith("numpy|1|2|2|", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.StartsWith("scipy|", StringComparison.Ordinal));
    }

    [Fact]
    public void Pruning_past_the_roll_ups_retention_drops_the_months_it_empties_and_unbuilds_the_one_it_cuts()
    {
        Build();
        var twoAgo = ThisMonth.AddMonths(-2);
        // Roll-ups kept from the 10th of the month before last: that month loses its 3rd, so it is no longer built;
        // last month stays built.
        int keep = DateOnly.FromDateTime(Now).DayNumber - twoAgo.AddDays(9).DayNumber;
        _opened.Store.Prune(Now, 90, keep);

        Assert.False(MonthBuilt(RecordSource.Xalt, twoAgo));
        Assert.True(MonthBuilt(RecordSource.Xalt, ThisMonth.AddMonths(-1)));
        Assert.DoesNotContain(Rows(new LibrariesReport(), Since(twoAgo) with { Sources = [RecordSource.Xalt] }), r => r.StartsWith("scipy|", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _opened.Dispose();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
