namespace Polaris.Wire.Tests;

/// <summary>A summary stays within <see cref="SummaryBounds"/>, says what it left out, and sends it.</summary>
public class SummaryBoundsTests
{
    private static ProcessRecord Record(int pid, IEnumerable<string> modules, string fileSuffix = "", Clips clipped = default) => new()
    {
        RecordId = $"n1:{pid}.1", Host = "n1", Uid = 1001, User = "asmith", Pid = pid, Executable = "/usr/bin/python3",
        StartedAtMs = SummaryBounds.MinTimeMs, EndedAtMs = SummaryBounds.MinTimeMs,
        Modules = modules.Select(m => new ModuleImport(m, "/x/" + m + fileSuffix)).ToArray(),
        Clipped = clipped,
    };

    private static string[] Names(int count, string prefix) => Enumerable.Range(0, count).Select(i => $"{prefix}{i}").ToArray();

    [Fact]
    public void A_time_distribution_saturates_instead_of_wrapping()
    {
        var distribution = new TimeDistribution();
        distribution.Add(long.MaxValue - 10);
        distribution.Add(1000);

        Assert.Equal(long.MaxValue, distribution.Sum);
        Assert.Equal(2, distribution.Count);
    }

    [Fact]
    public void A_record_that_would_take_the_summary_past_its_module_entries_does_not_fit()
    {
        var builder = new SummaryBuilder(SummaryKey.Of(Record(1, [])));
        builder.Add(Record(1, Names(SummaryBounds.MaxModulesPerRecord, "a")));

        Assert.False(builder.Fits(Record(2, Names(10, "b"))));
        Assert.True(builder.Fits(Record(3, [])));
    }

    [Fact]
    public void A_summary_past_its_members_takes_no_more()
    {
        var builder = new SummaryBuilder(SummaryKey.Of(Record(1, [])));
        for (int i = 0; i < SummaryBounds.MaxMembers; i++)
        {
            builder.Add(Record(i, ["numpy"]));
        }

        Assert.False(builder.Fits(Record(-1, ["numpy"])));
    }

    [Fact]
    public void Modules_of_one_record_past_the_summary_bytes_are_left_out_and_counted_and_it_still_encodes_within_the_bound()
    {
        // Long (but allowed) names and files: 16,384 of them are about 75 MB, far past a summary's 6 MiB.
        var names = Enumerable.Range(0, SummaryBounds.MaxModulesPerRecord).Select(i => $"{i}" + new string('n', 400)).ToArray();
        var record = Record(1, names, fileSuffix: new string('f', 4000));
        var builder = new SummaryBuilder(SummaryKey.Of(record));

        var left = builder.Add(record);
        var summary = builder.Build();

        Assert.True(left.Modules > 0);
        Assert.Equal(SummaryBounds.MaxModulesPerRecord, summary.Modules.Count + left.Modules);
        Assert.Equal(left.Modules, summary.Clipped.Modules);
        var bytes = MessagePackSize(summary);
        Assert.InRange(bytes, 1, SummaryBounds.MaxSummaryBytes);
        Assert.InRange(bytes, 1, builder.EncodedBytesBound);
    }

    [Fact]
    public void A_summary_whose_environment_and_variables_are_at_their_bounds_still_encodes_within_the_summary_bound()
    {
        // The most a first record can bring in its header: changes as large as the daemon lets through, 64 variables
        // of 8 KiB; then modules until the summary is full. All in a three-byte character, so that the bound is
        // tight. Its header was not counted before, so such a summary encoded past 6 MiB and the collector refused it.
        const char Euro = '\u20AC';
        var changes = new EnvironmentChanges
        {
            PipInstalled = [.. Enumerable.Range(0, 20_000).Select(i => new PipPackage($"p{i}" + new string(Euro, 19), "1.0"))],
        };
        var clipped = EnvironmentClip.Clip(changes, out int leftOut);
        Assert.Equal(0, leftOut);
        Assert.InRange(EnvironmentClip.EncodedBytesBound(clipped), 1, EnvironmentClip.MaxChangesBytes);
        var names = Enumerable.Range(0, SummaryBounds.MaxModulesPerRecord).Select(i => $"{i}" + new string(Euro, 130)).ToArray();
        var record = Record(1, names, fileSuffix: new string(Euro, 1300)) with
        {
            Environment = new PythonEnvironment { Prefix = "/p", Changes = clipped },
            Job = new JobContext { Variables = Enumerable.Range(0, SummaryBounds.MaxVariables).ToDictionary(i => $"V{i}", _ => new string(Euro, SummaryBounds.MaxVariableBytes / 3)) },
        };
        var builder = new SummaryBuilder(SummaryKey.Of(record));

        builder.Add(record);
        var bytes = MessagePackSize(builder.Build());

        Assert.InRange(bytes, 1, SummaryBounds.MaxSummaryBytes);
        Assert.InRange(bytes, 1, builder.EncodedBytesBound);
    }

    [Fact]
    public void Environment_changes_past_the_collector_s_bounds_are_left_out_and_counted()
    {
        var changes = new EnvironmentChanges
        {
            CondaAdded = [new CondaPackage(new string('x', 600), "1", "0", "conda-forge"), new CondaPackage("numpy", "2.0", "0", "conda-forge")],
            PipInstalled = [.. Enumerable.Range(0, 25_000).Select(i => new PipPackage($"p{i}", "1.0"))],
            PythonPath = ["/ok"],
        };

        var clipped = EnvironmentClip.Clip(changes, out int leftOut);

        Assert.Equal(["numpy"], clipped.CondaAdded.Select(p => p.Name));
        Assert.Equal(SummaryBounds.MaxPackageChanges, clipped.PipInstalled.Count);
        Assert.Equal(1 + 5_000, leftOut);
        Assert.Same(changes.PythonPath, clipped.PythonPath);

        // Changes that would take more than their share of a summary go whole: a list cut anywhere would misreport.
        var huge = new EnvironmentChanges { PipInstalled = [.. Enumerable.Range(0, 20_000).Select(i => new PipPackage($"p{i}" + new string('n', 200), "1.0"))] };
        Assert.Empty(EnvironmentClip.Clip(huge, out int hugeLeftOut).PipInstalled);
        Assert.Equal(20_000, hugeLeftOut);
        var small = new EnvironmentChanges { PipInstalled = [new PipPackage("requests", "2.31.0")] };
        Assert.Same(small, EnvironmentClip.Clip(small, out int none));
        Assert.Equal(0, none);
    }

    [Fact]
    public void What_was_clipped_from_the_members_is_summed_on_the_summary_and_survives_the_wire()
    {
        var records = new[] { Record(1, ["numpy"], clipped: new Clips(2, 0, 1, 0)), Record(2, ["numpy"], clipped: new Clips(0, 3, 0, 4)), Record(3, ["numpy"]) };

        var summary = Assert.Single(SummaryBuilder.Summarize(records));
        var decoded = BatchCodec.Decode(BatchCodec.Encode(new Batch { Key = "k", Node = "n1", CreatedAtMs = 1_764_000_000_000, Summaries = [summary] }));

        Assert.Equal(new Clips(2, 3, 1, 4), summary.Clipped);
        Assert.Equal(new Clips(2, 3, 1, 4), Assert.Single(decoded.Summaries).Clipped);
    }

    [Fact]
    public void A_summary_with_nothing_clipped_carries_no_clip_key()
    {
        var summary = Assert.Single(SummaryBuilder.Summarize([Record(1, ["numpy"])]));

        var decoded = BatchCodec.Decode(BatchCodec.Encode(new Batch { Key = "k", Node = "n1", CreatedAtMs = 1_764_000_000_000, Summaries = [summary] }));

        Assert.True(Assert.Single(decoded.Summaries).Clipped.IsEmpty);
        Assert.Equal(MessagePackSize(summary), MessagePackSize(summary with { Clipped = default }));
    }

    /// <summary>The summary's size inside a batch of its own, less the batch's few fields.</summary>
    internal static long MessagePackSize(ProcessSummary summary)
    {
        var batch = new Batch { Key = "k", Node = "n1", CreatedAtMs = 1_764_000_000_000, Summaries = [summary] };
        var compressed = BatchCodec.Encode(batch);
        using var zstd = new ZstdSharp.Decompressor();
        return zstd.Unwrap(compressed).Length;
    }
}
