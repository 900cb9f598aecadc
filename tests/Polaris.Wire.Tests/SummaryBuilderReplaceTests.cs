namespace Polaris.Wire.Tests;

/// <summary>A member read again while its process runs, then at its end, leaves the summary that its final record
/// alone would have made: every process counted once, whatever reads came before.</summary>
public class SummaryBuilderReplaceTests
{
    private static ProcessRecord Rank(int rank, bool ended, params (string Name, long SelfNs)[] modules) => new()
    {
        RecordId = $"n1:{100 + rank}.1", Host = "n1", Uid = 1001, User = "asmith", Pid = 100 + rank,
        Executable = "/usr/bin/python3", StartedAtMs = 1_764_000_000_000, EndedAtMs = 1_764_000_000_000 + (ended ? 9000 : 4000),
        ExitReason = ended ? ExitReasons.Exit : ExitReasons.Running, Partial = !ended,
        Job = new JobContext { JobId = "42.pbs", Rank = rank, Size = 4, Script = "/home/asmith/train.py" },
        Modules = modules.Select(m => new ModuleImport(m.Name, "/x/" + m.Name)).ToArray(),
        // numpy.core stands for a module loaded at start-up (a .pth file's import): counted apart, late reads too.
        Times = modules.Select(m => new ImportTime(m.SelfNs, m.SelfNs) { Startup = m.Name == "numpy.core" }).ToArray(),
        SharedObjects = ended ? [new SharedObject("/usr/lib/libcuda.so.1"), new SharedObject("/x/_umath.so")] : [],
    };

    private static readonly (string, long)[] Numpy = [("numpy", 1000), ("numpy.core", 400)];
    private static readonly (string, long)[] Torch = [("torch", 90_000), ("torch.nn", 3000)];

    /// <summary>Module entries as the collector compares them: name, processes, importing members, timings.</summary>
    private static string[] Table(ProcessSummary s) => s.Modules
        .Select(m => $"{m.Name} {m.Processes} [{string.Join(',', m.Members)}] {m.SelfNs.Count}/{m.SelfNs.Sum}/{m.SelfNs.Min}/{m.SelfNs.Max} start-up {m.StartupProcesses}")
        .Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Members_read_while_they_ran_and_then_at_their_end_count_as_the_final_records_folded_at_once()
    {
        var live = new SummaryBuilder(SummaryKey.Of(Rank(0, false)));
        // Rank 0 and 2 run long; rank 1 ends before anything is shipped; rank 3 imports torch late.
        live.Add(Rank(0, false, Numpy));
        live.Add(Rank(1, true, [.. Numpy, ("yaml", 10)]));
        live.Add(Rank(2, false, Numpy[..1]));
        live.Add(Rank(3, false, Numpy));
        var folded = new[] { FoldedMember.Of(Rank(0, false)), default, FoldedMember.Of(Rank(2, false)), FoldedMember.Of(Rank(3, false)) };
        live.Replace(2, Rank(2, false, Numpy), folded[2]);
        live.Replace(3, Rank(3, false, [.. Numpy, .. Torch]), folded[3]);
        var provisional = BatchCodec.Decode(BatchCodec.Encode(BatchCodecTests.Sample() with { Summaries = [live.Build()] })).Summaries[0];
        Assert.Equal(["running", "exit", "running", "running"], provisional.Members.Select(m => m.ExitReason));
        Assert.All(provisional.SharedObjects, o => Assert.Equal(1, o.Processes)); // rank 1 alone has ended

        live.Replace(0, Rank(0, true, Numpy), folded[0]);
        live.Replace(2, Rank(2, true, Numpy), folded[2]);
        live.Replace(3, Rank(3, true, [.. Numpy, .. Torch]), folded[3]);
        var final = live.Build();

        var atOnce = new SummaryBuilder(SummaryKey.Of(Rank(0, true)));
        atOnce.Add(Rank(0, true, Numpy));
        atOnce.Add(Rank(1, true, [.. Numpy, ("yaml", 10)]));
        atOnce.Add(Rank(2, true, Numpy));
        atOnce.Add(Rank(3, true, [.. Numpy, .. Torch]));
        var expected = atOnce.Build();
        Assert.Equal(Table(expected), Table(final));
        Assert.Equal(expected.Members, final.Members);
        Assert.Equal(expected.SharedObjects.Select(o => (o.Path, o.Processes)), final.SharedObjects.Select(o => (o.Path, o.Processes)));
        Assert.Equal([3], final.Modules.Single(m => m.Name == "torch").Members);
        // As the collector reads it: member lists ascending, counts within the members.
        Assert.Single(BatchCodec.Decode(BatchCodec.Encode(BatchCodecTests.Sample() with { Summaries = [final] })).Summaries);
    }

    [Fact]
    public void A_member_that_takes_a_module_every_other_member_has_makes_its_member_list_go_and_one_that_skips_a_member_keeps_it_ordered()
    {
        var builder = new SummaryBuilder(SummaryKey.Of(Rank(0, false)));
        for (int rank = 0; rank < 4; rank++)
        {
            builder.Add(Rank(rank, false, rank == 1 ? [] : [("json", 5)]));
        }
        Assert.Equal([0, 2, 3], builder.Build().Modules.Single().Members);

        builder.Replace(1, Rank(1, false, [("json", 5), ("csv", 7)]), FoldedMember.Of(Rank(1, false)));

        var summary = builder.Build();
        Assert.Empty(summary.Modules.Single(m => m.Name == "json").Members);
        Assert.Equal(4, summary.Modules.Single(m => m.Name == "json").Processes);
        Assert.Equal([1], summary.Modules.Single(m => m.Name == "csv").Members);
    }

    [Fact]
    public void A_module_a_forged_file_drops_between_two_reads_stays_counted_and_one_listed_again_counts_once()
    {
        var builder = new SummaryBuilder(SummaryKey.Of(Rank(0, false)));
        builder.Add(Rank(0, false, Numpy));

        builder.Replace(0, Rank(0, false, [("yaml", 10)]), FoldedMember.Of(Rank(0, false)));
        builder.Replace(0, Rank(0, true, [("yaml", 10), .. Numpy]), FoldedMember.Of(Rank(0, false)));

        var summary = builder.Build();
        Assert.Equal(["numpy 1 [] 1/1000/1000/1000 start-up 0", "numpy.core 1 [] 1/400/400/400 start-up 1", "yaml 1 [] 1/10/10/10 start-up 0"], Table(summary));
        Assert.Equal("exit", Assert.Single(summary.Members).ExitReason);
    }

    [Fact]
    public void What_was_cut_from_a_record_counts_once_however_often_it_is_read()
    {
        var builder = new SummaryBuilder(SummaryKey.Of(Rank(0, false)));
        var cut = new Clips(0, 0, 2, 1);
        builder.Add(Rank(0, false, Numpy) with { Clipped = cut });

        builder.Replace(0, Rank(0, false, Numpy) with { Clipped = cut }, new FoldedMember([], cut));
        builder.Replace(0, Rank(0, true, Numpy) with { Clipped = cut + new Clips(0, 0, 1, 0) }, new FoldedMember([], cut));

        Assert.Equal(new Clips(0, 0, 3, 1), builder.Clipped);
    }
}
