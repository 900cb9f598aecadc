using System.Text.Json;
using Polaris.Collector.Import;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests.Import;

/// <summary>A large import into a store folds as it goes and checkpoints LiteDB's log past its bound, and counts the
/// same as one fold at the end.</summary>
public class StoreImportSinkTests
{
    private const int Processes = 3000;
    private static readonly DateOnly Day = new(2026, 11, 25);

    [Fact]
    public async Task A_large_import_folds_every_few_thousand_summaries_checkpoints_past_the_log_bound_and_counts_as_one_fold_would()
    {
        using var folded = new TempDirectory();
        using var once = new TempDirectory();

        var (sink, maxUnfolded) = await Import(folded.Path, maxLogBytes: 1 << 20, foldEvery: 500);
        var (atEnd, maxUnfoldedAtEnd) = await Import(once.Path, maxLogBytes: long.MaxValue, foldEvery: int.MaxValue);

        Assert.Equal((3000L, 3000L), (sink.Stored, atEnd.Stored));
        // A commit is GroupSize batches of 200, after which a fold comes once 500 or more were committed; folded only
        // at the end, every summary but the last commit's waits in memory.
        Assert.InRange(maxUnfolded, 0, 500);
        Assert.InRange(maxUnfoldedAtEnd, 2000, Processes);
        Assert.True(sink.Folds >= Processes / 2000, $"{sink.Folds} folds");
        Assert.True(sink.Checkpoints >= 3, $"{sink.Checkpoints} checkpoints");
        Assert.Equal(1, atEnd.Folds);
        // Disposed: checkpointed, the log empty.
        Assert.Equal(0, LogBytes(folded.Path));
        Assert.Equal(0, LogBytes(once.Path));
        using var a = new TestStore(folded.Path);
        using var b = new TestStore(once.Path);
        Assert.Equal(Rollups(b), Rollups(a));
        Assert.Equal(Processes, a.Store.SummaryCount());
    }

    private static async Task<(StoreImportSink Sink, int MaxUnfolded)> Import(string data, long maxLogBytes, int foldEvery)
    {
        var store = new TestStore(data).Store;
        int maxUnfolded = 0;
        var sink = new StoreImportSink(store, maxLogBytes, foldEvery);
        using (sink)
        {
            foreach (var batch in new ImportedSummaries(new CollectorOptions().OriginRules()).Batches(Made(), RecordSource.Xalt))
            {
                await sink.AddAsync(batch);
                maxUnfolded = Math.Max(maxUnfolded, store.Unfolded);
            }
            await sink.FlushAsync();
        }
        return (sink, maxUnfolded);
    }

    // Processes of 50 users, 300 jobs and a few dozen packages each.
    private static IEnumerable<ImportedProcess> Made()
    {
        for (int i = 0; i < Processes; i++)
        {
            yield return new ImportedProcess
            {
                Source = RecordSource.Xalt,
                Identity = $"run-{i}",
                User = $"user{i % 50}",
                JobId = $"{1000 + (i % 300)}",
                Host = "polaris",
                Start = new DateTimeOffset(Day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero).AddSeconds(i),
                Executable = "/usr/bin/python3.11",
                Modules = [.. Enumerable.Range(0, 40).Select(m => new ModuleImport($"pkg{(i + m) % 120}", $"/soft/lib/python3.11/site-packages/pkg{(i + m) % 120}/__init__.py"))],
            };
        }
    }

    private static string Rollups(TestStore store) => JsonSerializer.Serialize(store.Store.RollupRowsOn(Day).ToList());

    private static long LogBytes(string data)
    {
        var log = new FileInfo(Path.Combine(data, "polaris-log.db"));
        return log.Exists ? log.Length : 0;
    }
}
