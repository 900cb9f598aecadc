using Polaris.Collector.Reports;

namespace Polaris.Collector.Tests.Reports;

/// <summary>A period's use table holds at most its bound of entries: names already held go on counting, new ones past
/// it are refused and counted, and what it holds packs and reads back whole.</summary>
public class UseTableTests
{
    [Fact]
    public void New_names_past_the_bound_are_refused_and_counted_while_those_held_go_on()
    {
        var table = new UseTable(maxEntries: 2);
        table.Of("numpy", "Physics")!.Users.Add(1);
        table.Of("numpy", "Chemistry")!.Users.Add(2);

        Assert.Null(table.Of("made.up.1", "Physics"));
        Assert.Null(table.Of("numpy", "Biology"));
        table.Of("numpy", "Physics")!.Users.Add(3);

        Assert.Equal((2, 2L), (table.Count, table.Dropped));
        Assert.Equal([1L, 3L], table.Of("numpy", "Physics")!.Users.Order());
    }

    [Fact]
    public void A_table_packed_into_several_chunks_reads_back_whole_with_aliases_mapped_and_one_domain_chosen()
    {
        var table = new UseTable();
        for (int i = 0; i < 60_000; i++)
        {
            var use = table.Of($"pkg{i:D5}", i % 2 == 0 ? "Physics" : "Chemistry")!;
            use.Users.UnionWith([i, i + 1, 1_000_000 + i]);
            use.Jobs.Add(3_000_000 + i);
            use.Processes = i;
            var version = use.Version($"1.{i % 7}")!;
            version.Users.Add(i);
            version.Processes = i;
        }

        var chunks = PackedUses.Pack(table.Entries);
        var all = new UseTable();
        var physics = new UseTable();
        foreach (var chunk in chunks)
        {
            PackedUses.AddTo(chunk, all, null, null, u => u == 1 ? 2 : u);
            PackedUses.AddTo(chunk, physics, name => name.EndsWith('0'), "Physics", null);
        }

        Assert.True(chunks.Count > 1, $"{chunks.Count} chunk");
        Assert.Equal(60_000, all.Count);
        Assert.Equal([0L, 2L, 1_000_000L], all.Of("pkg00000", "Physics")!.Users.Order());
        var last = all.Of("pkg59999", "Chemistry")!;
        Assert.Equal((59_999L, 3_059_999L, 59_999L), (last.Processes, last.Jobs.Single(), last.Versions!["1.2"].Processes));
        Assert.Equal(6_000, physics.Count);
        Assert.All(physics.Entries, e => Assert.Equal("Physics", e.Domain));
    }

    [Fact]
    public void A_damaged_chunk_is_refused_as_damaged_whatever_its_lengths_and_counts_say()
    {
        var table = new UseTable();
        var use = table.Of("numpy", "Physics")!;
        use.Users.UnionWith([1, 300, 70_000]);
        use.Jobs.Add(3_000_001);
        use.Version("1.26.4")!.Users.Add(300);
        var jobs = new PeriodUses();
        jobs.Add(new Storage.StoredJobProcesses(Polaris.Wire.RecordSource.Agent, "3000001", "Physics", 4));
        byte[][] chunks = [PackedUses.Pack(table.Entries).Single(), PackedUses.PackJobs(jobs.Jobs.Values).Single()];

        // Every cut short, every byte set to 0xFF (a number that never ends, a length or count past the bytes) or 0.
        foreach (var chunk in chunks)
        {
            var damaged = Enumerable.Range(0, chunk.Length).Select(n => chunk[..n])
                .Concat(Enumerable.Range(0, chunk.Length).SelectMany(i => new byte[] { 0xFF, 0 }.Select(b =>
                {
                    var copy = (byte[])chunk.Clone();
                    copy[i] = b;
                    return copy;
                })));
            foreach (var bytes in damaged)
            {
                var thrown = Record.Exception(() =>
                {
                    PackedUses.AddTo(bytes, new UseTable(), null, null, null);
                    PackedUses.AddJobsTo(bytes, [], null, 10);
                });
                Assert.True(thrown is null or InvalidDataException, thrown?.ToString());
            }
        }
    }
}
