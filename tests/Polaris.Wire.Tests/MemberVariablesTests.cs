namespace Polaris.Wire.Tests;

/// <summary>What differs between the members of a summary is not lost: each member keeps the allowlisted variables it
/// had otherwise than the summary's job, the first member's (issue 10, item 14).</summary>
public class MemberVariablesTests
{
    private static ProcessRecord Rank(int rank, Dictionary<string, string> variables) => new()
    {
        RecordId = $"n1:{100 + rank}.1", Host = "n1", Uid = 1001, User = "asmith", Pid = 100 + rank,
        Executable = "/usr/bin/python3", StartedAtMs = SummaryBounds.MinTimeMs, EndedAtMs = SummaryBounds.MinTimeMs,
        Job = new JobContext { JobId = "42.pbs", Rank = rank, Size = 4, Script = "/home/asmith/train.py", Variables = variables },
        Modules = [new ModuleImport("numpy", "/x/numpy/__init__.py")],
    };

    private static Batch BatchOf(ProcessSummary summary) => new() { Key = "k", Node = "n1", CreatedAtMs = 1_764_000_000_000, Summaries = [summary] };

    [Fact]
    public void Each_member_keeps_the_variables_it_had_otherwise_than_the_first_and_one_it_had_not_set_is_null()
    {
        var records = new[]
        {
            Rank(0, new() { ["PMI_RANK"] = "0", ["CUDA_VISIBLE_DEVICES"] = "0", ["LOADEDMODULES"] = "conda/2024-04-29" }),
            Rank(1, new() { ["PMI_RANK"] = "1", ["CUDA_VISIBLE_DEVICES"] = "1", ["LOADEDMODULES"] = "conda/2024-04-29" }),
            Rank(2, new() { ["PMI_RANK"] = "2", ["CUDA_VISIBLE_DEVICES"] = "2" }),
            Rank(3, new() { ["PMI_RANK"] = "3", ["CUDA_VISIBLE_DEVICES"] = "", ["LOADEDMODULES"] = "conda/2024-04-29", ["PYTHONUSERBASE"] = "/home/asmith/u" }),
        };

        var summary = Assert.Single(SummaryBuilder.Summarize(records));

        Assert.Same(records[0].Job.Variables, summary.Job.Variables);
        Assert.Empty(summary.Members[0].Variables);
        Assert.Equal(new Dictionary<string, string?> { ["CUDA_VISIBLE_DEVICES"] = "1", ["PMI_RANK"] = "1" }, summary.Members[1].Variables);
        Assert.Equal(new Dictionary<string, string?> { ["CUDA_VISIBLE_DEVICES"] = "2", ["LOADEDMODULES"] = null, ["PMI_RANK"] = "2" }, summary.Members[2].Variables);
        // Set to nothing is a value, not unset.
        Assert.Equal(new Dictionary<string, string?> { ["CUDA_VISIBLE_DEVICES"] = "", ["PMI_RANK"] = "3", ["PYTHONUSERBASE"] = "/home/asmith/u" }, summary.Members[3].Variables);
        Assert.True(summary.Clipped.IsEmpty);
    }

    [Fact]
    public void Members_with_the_first_members_variables_carry_none_of_their_own()
    {
        var variables = new Dictionary<string, string> { ["PBS_JOBID"] = "42.pbs" };
        var records = new[] { Rank(0, variables), Rank(1, new(variables)), Rank(2, variables) };

        var summary = Assert.Single(SummaryBuilder.Summarize(records));

        Assert.All(summary.Members, m => Assert.Empty(m.Variables));
    }

    [Fact]
    public void A_members_variables_survive_the_wire_unset_ones_as_null()
    {
        var summary = Assert.Single(SummaryBuilder.Summarize(
        [
            Rank(0, new() { ["PMI_RANK"] = "0", ["LOADEDMODULES"] = "conda" }),
            Rank(1, new() { ["PMI_RANK"] = "1", ["CUDA_VISIBLE_DEVICES"] = "" }),
        ]));

        var decoded = Assert.Single(BatchCodec.Decode(BatchCodec.Encode(BatchOf(summary))).Summaries);

        Assert.Empty(decoded.Members[0].Variables);
        Assert.Equal(new Dictionary<string, string?> { ["CUDA_VISIBLE_DEVICES"] = "", ["LOADEDMODULES"] = null, ["PMI_RANK"] = "1" }, decoded.Members[1].Variables);
    }

    [Fact]
    public void Variables_of_a_member_past_their_bounds_are_left_out_or_blanked_counted_and_the_summary_is_not_refused()
    {
        // A forged pair: 64 variables each, none shared, so the second differs in 128; and a name and a value no
        // daemon's record carries (the receive stage clips them), which the summary clips again.
        var first = Enumerable.Range(0, SummaryBounds.MaxVariables).ToDictionary(i => $"A{i:D2}", _ => "a");
        var second = Enumerable.Range(0, SummaryBounds.MaxVariables - 2).ToDictionary(i => $"B{i:D2}", _ => "b");
        second["0DIGIT"] = "x";
        second["LONG"] = new string('l', SummaryBounds.MaxVariableBytes + 1);
        var builder = new SummaryBuilder(SummaryKey.Of(Rank(0, first)));
        builder.Add(Rank(0, first));

        var left = builder.Add(Rank(1, second));
        var summary = builder.Build();

        var own = summary.Members[1].Variables;
        Assert.Equal(SummaryBounds.MaxVariables, own.Count);
        // In name order: the 64 A's the second had not set come first; the 62 B's, LONG and the odd name go.
        Assert.All(own, v => Assert.Null(v.Value));
        Assert.Equal(62 + 1 + 1, left.Texts);
        Assert.Equal(left.Texts, summary.Clipped.Texts);
        var received = BatchCodec.Receive(BatchCodec.Encode(BatchOf(summary)));
        Assert.Empty(received.Refused);
    }

    [Fact]
    public void A_value_past_its_bound_is_blanked_and_a_name_that_is_no_variables_left_out()
    {
        var first = new Dictionary<string, string> { ["PMI_RANK"] = "0" };
        var second = new Dictionary<string, string> { ["PMI_RANK"] = "1", ["LONG"] = new string('é', SummaryBounds.MaxVariableBytes / 2 + 1), ["a.b"] = "x" };

        var own = MemberVariables.Between(first, second, out int leftOut);

        Assert.Equal(new Dictionary<string, string?> { ["LONG"] = "", ["PMI_RANK"] = "1" }, own);
        Assert.Equal(2, leftOut);
    }

    [Fact]
    public void Members_own_variables_count_in_the_size_bound_so_the_summary_closes_before_it_passes_its_bytes()
    {
        // Each member differs from the first in 64 values of 8,190 bytes (three-byte characters, the worst case of
        // the bound): a dozen members are 6 MiB.
        var value = new string('€', SummaryBounds.MaxVariableBytes / 3);
        var first = Rank(0, new() { ["PMI_RANK"] = "0" });
        var builder = new SummaryBuilder(SummaryKey.Of(first));
        builder.Add(first);
        int members = 1;
        for (; members < 100; members++)
        {
            var record = Rank(members, Enumerable.Range(0, SummaryBounds.MaxVariables).ToDictionary(i => $"V{i}", i => value + members));
            if (!builder.Fits(record))
            {
                break;
            }
            builder.Add(record);
        }

        long bytes = SummaryBoundsTests.MessagePackSize(builder.Build());

        Assert.InRange(members, 2, 99);
        Assert.InRange(bytes, SummaryBounds.MaxSummaryBytes / 2, SummaryBounds.MaxSummaryBytes);
        Assert.InRange(bytes, 1, builder.EncodedBytesBound);
        Assert.Empty(BatchCodec.Receive(BatchCodec.Encode(BatchOf(builder.Build()))).Refused);
    }
}
