using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Tests;

/// <summary>The real collector never answers 5xx for what is in the data, and never drops a good summary because
/// another of its batch is bad (issue 10, items 3, 4 and 13).</summary>
public class SummaryRefusalServiceTests
{
    internal static HttpContent Body(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(WireFormat.ContentType);
        return content;
    }

    private static ProcessSummary RootsSummary() => Assert.Single(SummaryBuilder.Summarize(
    [
        new ProcessRecord
        {
            Host = "node01", Uid = 0, User = "root", Pid = 4242, StartedAtMs = (TestClock.BaseMs + 000_000), EndedAtMs = (TestClock.BaseMs + 000_500),
            Modules = [new ModuleImport("numpy", "/x/numpy/__init__.py")],
        },
    ]));

    [Fact]
    public async Task Forged_summaries_are_refused_one_by_one_with_their_reasons_and_roots_summary_is_stored()
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.Start(dir.Path);
        var good = RootsSummary();
        var user = good with { Uid = 1001, User = "mallory" };
        var batch = new Batch
        {
            Key = "mixed-1", Node = "node01", CreatedAtMs = (TestClock.BaseMs + 001_000),
            Summaries =
            [
                // A top-level package name of 1,100 bytes: LiteDB's index keys end at 1,023 (it answered 500).
                user with { Modules = [good.Modules[0] with { Name = new string('p', 1100) }] },
                // An import that claims 8.9e9 s: the sum of a distribution overflows (it refused the whole batch).
                user with
                {
                    Modules = [good.Modules[0] with { CumulativeNs = TimeDistribution.From(1, 8_900_000_000_000_000_000, 8_900_000_000_000_000_000, 8_900_000_000_000_000_000, [(62, 1)]) }],
                },
                good,
                // A start of 2^62 ms is no date (it answered 500), nor is a 5 MB host name a host (it was stored).
                user with { Members = [user.Members[0] with { StartedAtMs = 1L << 62 }] },
                user with { Host = new string('h', 5 * 1024 * 1024) },
                user with { Modules = [good.Modules[0] with { Name = "mallorys_" + new string('l', 2000) }] },
            ],
        };

        using var response = await collector.Http.PostAsync("v1/batches", Body(BatchCodec.Encode(batch)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var receipt = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, receipt.RootElement.GetProperty("summaries").GetInt32());
        var refused = receipt.RootElement.GetProperty("refused").EnumerateArray().ToArray();
        Assert.Equal([0, 1, 3, 4, 5], refused.Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(refused, r => Assert.NotEmpty(r.GetProperty("reason").GetString()!));
        var stored = Assert.Single(collector.Summaries());
        Assert.Equal("root", stored.GetProperty("user").GetString());
        Assert.Equal(1, collector.Metric("polaris_python_processes_total"));
        Assert.Equal(1, collector.Metric("polaris_library_processes_total{library=\"numpy\"}"));
        Assert.Equal(5, collector.Metric("polaris_collector_summaries_refused_total"));
        Assert.Equal(1, collector.Metric("polaris_summaries_total"));
        Assert.Equal(5, collector.Metric("polaris_collector_summaries_refused_total{reason=\"out_of_bounds\"}"));
        Assert.Contains("refused 5 summaries", collector.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_summary_whose_members_variables_break_their_bounds_is_refused_alone_and_a_good_ones_are_stored_as_sent()
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.Start(dir.Path);
        var good = RootsSummary();
        var second = good.Members[0] with { Pid = 4243, RecordId = "node01:4243.1" };
        var own = new Dictionary<string, string?> { ["CUDA_VISIBLE_DEVICES"] = "1", ["LOADEDMODULES"] = null, ["PYTHONUSERBASE"] = "" };
        var merged = good with
        {
            Members = [good.Members[0], second with { Variables = own }],
            Modules = [good.Modules[0] with { Processes = 1, Members = [0] }],
        };
        var batch = new Batch
        {
            Key = "member-vars", Node = "node01", CreatedAtMs = (TestClock.BaseMs + 001_000),
            Summaries =
            [
                merged with { Members = [good.Members[0], second with { Variables = new Dictionary<string, string?> { ["PYTHONPATH"] = new('p', 9000) } }] },
                merged with { Members = [good.Members[0], second with { Variables = new Dictionary<string, string?> { ["$where"] = "1" } }] },
                merged with
                {
                    Members = [good.Members[0], second with { Variables = Enumerable.Range(0, SummaryBounds.MaxVariables + 1).ToDictionary(i => $"V{i}", _ => (string?)null) }],
                },
                merged,
            ],
        };

        using var response = await collector.Http.PostAsync("v1/batches", Body(BatchCodec.Encode(batch)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var receipt = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var refused = receipt.RootElement.GetProperty("refused").EnumerateArray().ToArray();
        Assert.Equal([0, 1, 2], refused.Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(refused, r => Assert.Contains("member 4243", r.GetProperty("reason").GetString()!, StringComparison.Ordinal));
        var members = Assert.Single(collector.Summaries()).GetProperty("members").EnumerateArray().ToArray();
        Assert.False(members[0].TryGetProperty("vars", out _), "the first member's variables are the job's");
        var vars = members[1].GetProperty("vars");
        Assert.Equal("1", vars.GetProperty("CUDA_VISIBLE_DEVICES").GetString());
        Assert.Equal(JsonValueKind.Null, vars.GetProperty("LOADEDMODULES").ValueKind);
        Assert.Equal("", vars.GetProperty("PYTHONUSERBASE").GetString());
        Assert.Equal(3, collector.Metric("polaris_collector_summaries_refused_total{reason=\"out_of_bounds\"}"));
    }

    [Theory]
    [InlineData("created 2^62")]
    [InlineData("node of 5 MB")]
    public async Task A_batch_field_out_of_range_is_answered_400_not_500(string forgery)
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.Start(dir.Path);
        var batch = new Batch { Key = "bad-batch", Node = "node01", CreatedAtMs = (TestClock.BaseMs + 001_000), Summaries = [RootsSummary()] };
        batch = forgery == "created 2^62" ? batch with { CreatedAtMs = 1L << 62 } : batch with { Node = new string('n', 5 * 1024 * 1024) };

        using var response = await collector.Http.PostAsync("v1/batches", Body(BatchCodec.Encode(batch)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, collector.Metric("polaris_collector_batches_total{result=\"rejected\"}"));
        Assert.Empty(collector.Summaries());
    }

    [Fact]
    public async Task A_retry_of_a_batch_with_refused_summaries_is_a_duplicate_and_counts_nothing_again()
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.Start(dir.Path);
        var good = RootsSummary();
        var bytes = BatchCodec.Encode(new Batch
        {
            Key = "mixed-retry", Node = "node01", CreatedAtMs = (TestClock.BaseMs + 001_000),
            Summaries = [good with { Members = [good.Members[0] with { EndedAtMs = -5 }] }, good],
        });

        using var first = await collector.Http.PostAsync("v1/batches", Body(bytes));
        using var retry = await collector.Http.PostAsync("v1/batches", Body(bytes));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Contains("\"duplicate\":true", await retry.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, collector.Metric("polaris_python_processes_total"));
        Assert.Equal(1, collector.Metric("polaris_collector_summaries_refused_total"));
    }
}
