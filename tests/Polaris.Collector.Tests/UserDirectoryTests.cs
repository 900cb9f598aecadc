using LiteDB;
using Polaris.Collector.Reports;
using Polaris.Collector.Storage;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests;

/// <summary>The users directory (docs/analysis.md, "Users across sources"): the first binding of a name and a uid
/// wins and a conflicting one is counted and ignored, so no node can make imported names count as one user or as
/// another's; the directory is bounded, forgets names no roll-up can hold any more without giving their numbers
/// again, and its aliases are read without the write lock.</summary>
public class UserDirectoryTests
{
    private static readonly DateTime Now = DateTime.UtcNow;

    private static DateOnly Day(DateTime utc) => DateOnly.FromDateTime(utc);

    private static ProcessSummary Pms(string user, string job, DateTime startUtc) =>
        SummaryFixtures.Job("vm", job, uid: 0, ranks: 1, startUtc, ["numpy"]) with { Source = RecordSource.PyModuleSnooper, User = user, Uid = 0 };

    private static ProcessSummary Agent(string user, uint uid, string job) =>
        SummaryFixtures.Job("n1", job, uid, 1, Now.AddMinutes(-5), ["os"]) with { User = user };

    private static double Refused(TestStore opened, string reason) =>
        MetricsText.Value(opened.Text(), $"polaris_collector_user_names_refused_total{{reason=\"{reason}\"}}") ?? 0;

    private static long[] ImportedUsers(CollectorStore store, DateTime day) =>
        [.. store.Rollups(Day(day), Day(day), ["numpy"], RecordSource.PyModuleSnooper).Single().Users.Order()];

    [Fact]
    public void A_node_that_claims_every_imported_name_is_one_uid_binds_the_first_only_and_each_other_is_counted()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        var day = Now.AddDays(-3);
        opened.Store.Ingest(SummaryFixtures.BatchOf("i1", "importer", [.. Enumerable.Range(0, 5).Select(u => Pms($"victim{u}", $"{u}", day))]), Now, imported: true);
        opened.Store.Fold();

        var lies = Enumerable.Range(0, 5).Select(u => Agent($"victim{u}", 4242, $"{u}")).ToArray();
        opened.Store.Ingest(SummaryFixtures.BatchOf("lie", "n1", lies), Now);

        var query = new ReportQuery { Since = Day(day), Until = Day(day), Sources = [RecordSource.PyModuleSnooper] };
        Assert.Equal(5, new ReportData(opened.Store).Libraries(query)["numpy"].Users.Count);
        Assert.Equal(4, Refused(opened, "conflict"));
    }

    [Fact]
    public void A_name_shown_later_with_another_uid_keeps_its_first_and_the_conflict_is_counted()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        opened.Store.Ingest(SummaryFixtures.BatchOf("a1", "n1", Agent("alice", 1001, "1")), Now);
        opened.Store.Ingest(SummaryFixtures.BatchOf("a2", "n2", Agent("alice", 2002, "2")), Now);

        opened.Store.Ingest(SummaryFixtures.BatchOf("i1", "importer", Pms("alice", "3", Now.AddDays(-1))), Now, imported: true);
        opened.Store.Fold();

        Assert.Equal([1001L], ImportedUsers(opened.Store, Now.AddDays(-1)));
        Assert.Equal(1, Refused(opened, "conflict"));
    }

    [Fact]
    public void Past_max_user_names_no_name_is_learnt_an_imported_one_counts_as_unlisted_and_each_refusal_is_counted()
    {
        using var dir = new TempDirectory();
        using (var opened = new TestStore(dir.Path, new CollectorOptions { MaxUserNames = 1000 }))
        {
            var names = Enumerable.Range(0, 1200).Select(u => Agent($"made-up-{u}", (uint)(5000 + u), $"{u}")).ToArray();
            opened.Store.Ingest(SummaryFixtures.BatchOf("names", "n1", names), Now);
            opened.Store.Ingest(SummaryFixtures.BatchOf("i1", "importer", Pms("bob", "1", Now.AddDays(-1))), Now, imported: true);
            opened.Store.Fold();

            Assert.Equal([UserDirectory.Unlisted], ImportedUsers(opened.Store, Now.AddDays(-1)));
            Assert.Equal(201, Refused(opened, "full"));
        }
        Assert.Equal(1000, Count(dir.Path, "users"));
    }

    [Fact]
    public void Names_not_seen_within_rollup_retention_go_and_their_numbers_are_never_given_again()
    {
        using var dir = new TempDirectory();
        var old = Now.AddDays(-3000);
        using (var opened = new TestStore(dir.Path))
        {
            opened.Store.Ingest(SummaryFixtures.BatchOf("names", "n1", [.. Enumerable.Range(0, 500).Select(u => Agent($"made-up-{u}", (uint)(5000 + u), $"{u}"))]), Now);
            opened.Store.Ingest(SummaryFixtures.BatchOf("i1", "importer", Pms("ann", "1", old)), Now, imported: true);
            opened.Store.Fold();
            var first = ImportedUsers(opened.Store, old).Single();

            Assert.Equal(0, opened.Store.Prune(Now.AddDays(10), retentionDays: 90, rollupRetentionDays: 3650)["users"]);
            Assert.Equal(1, opened.Store.Prune(Now.AddDays(700), retentionDays: 90, rollupRetentionDays: 3650)["users"]);
            opened.Store.Ingest(SummaryFixtures.BatchOf("i2", "importer", Pms("ben", "2", Now.AddDays(-1))), Now.AddDays(700), imported: true);
            opened.Store.Fold();

            Assert.Equal(UserDirectory.FirstImported, first);
            Assert.Equal([UserDirectory.FirstImported + 1], ImportedUsers(opened.Store, Now.AddDays(-1)));
            Assert.Equal(501, opened.Store.Prune(Now.AddDays(4000), retentionDays: 90, rollupRetentionDays: 3650)["users"]);
        }
        Assert.Equal(0, Count(dir.Path, "users"));
    }

    [Fact]
    public async Task Aliases_are_read_without_the_write_lock_and_follow_a_binding_once_it_commits()
    {
        using var dir = new TempDirectory();
        using var opened = new TestStore(dir.Path);
        opened.Store.Ingest(SummaryFixtures.BatchOf("i1", "importer", Pms("alice", "1", Now.AddDays(-1))), Now, imported: true);
        Assert.Empty(opened.Store.UserAliases());

        opened.Store.Ingest(SummaryFixtures.BatchOf("a1", "n1", Agent("alice", 1001, "2")), Now);
        Assert.Equal(1001, opened.Store.UserAliases()[UserDirectory.FirstImported]);

        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var writer = Task.Run(() => opened.Store.WithWriteLock(_ =>
        {
            holding.Set();
            return release.Wait(TimeSpan.FromSeconds(30));
        }));
        holding.Wait();
        var read = Task.Run(() => opened.Store.UserAliases().Count);
        bool answered = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(5))) == read;
        release.Set();
        await writer;
        Assert.True(answered, "UserAliases waited for the write lock");
    }

    private static int Count(string folder, string collection)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(folder, CollectorStore.FileName), Connection = ConnectionType.Direct });
        return db.GetCollection(collection).Count();
    }
}
