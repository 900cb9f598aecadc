using System.Net.Http.Headers;
using System.Text;
using Polaris.Agent.Serve.Ship;
using Polaris.Wire;

namespace Polaris.Agent.Tests;

public class DeliveryReceiptTests
{
    private static DeliveryReceipt Read(string json, bool complete = true) => DeliveryReceipt.Read(Encoding.UTF8.GetBytes(json), complete);

    [Fact]
    public void A_receipt_gives_the_refused_count_and_the_first_refusal()
    {
        var receipt = Read("""
            {"batch": "k", "summaries": 3, "processes": 9, "duplicate": false, "extra": {"refused": [{}]},
             "refused": [{"reason": "too many modules", "index": 4, "more": [1, {"reason": "no"}]}, {"index": 7, "reason": "x"}]}
            """);

        Assert.Equal(new DeliveryReceipt(2, 4, "too many modules"), receipt);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("<html>bad gateway</html>", 0)]
    [InlineData("[1, 2]", 0)]
    [InlineData("""{"batch": "k", "summaries": 1}""", 0)]
    [InlineData("""{"refused": []}""", 0)]
    [InlineData("""{"refused": 3}""", 0)]
    [InlineData("""{"refused": [1, "a", null, [{}]]}""", 0)]
    [InlineData("""{"refused": [{"index": 0, "reason": "x"}""", 1)]
    [InlineData("""{"refused": [{"index": 0, "reason": "x"}, {"index": 1, "reason":""", 2)]
    public void An_answer_that_is_no_receipt_counts_what_it_lists_and_never_throws(string json, int refused)
    {
        Assert.Equal(refused, Read(json).Refused);
    }

    [Fact]
    public void An_entry_without_index_or_reason_still_counts()
    {
        Assert.Equal(new DeliveryReceipt(1, -1, ""), Read("""{"refused": [{"index": "zero", "reason": 5}]}"""));
    }

    [Fact]
    public void A_receipt_cut_at_its_bound_counts_the_refusals_read_and_keeps_the_reason_within_its_bound()
    {
        var entries = string.Join(", ", Enumerable.Range(0, 5000).Select(i => $$"""{"index": {{i}}, "reason": "{{new string('r', 1000)}}"}"""));
        var bytes = Encoding.UTF8.GetBytes($$"""{"refused": [{{entries}}]}""");

        var receipt = DeliveryReceipt.Read(bytes.AsSpan(0, DeliveryReceipt.MaxBytes), complete: false);

        // Entries of about 1,025 bytes each: the 63 whole ones in the first 64 KiB, and the one begun at the cut.
        Assert.InRange(receipt.Refused, 60, 64);
        Assert.Equal(0, receipt.FirstIndex);
        Assert.Equal(SummaryBounds.MaxTextBytes, receipt.FirstReason.Length);
    }

    [Fact]
    public void Retry_after_is_obeyed_within_five_minutes()
    {
        var now = DateTimeOffset.UtcNow;

        Assert.Equal(TimeSpan.FromSeconds(5), BatchShipper.RetryAfter(new RetryConditionHeaderValue(TimeSpan.FromSeconds(5)), now));
        Assert.Equal(BatchShipper.LongestRetryAfter, BatchShipper.RetryAfter(new RetryConditionHeaderValue(TimeSpan.FromDays(3)), now));
        Assert.Equal(TimeSpan.FromSeconds(30), BatchShipper.RetryAfter(new RetryConditionHeaderValue(now.AddSeconds(30)), now));
        Assert.Equal(TimeSpan.Zero, BatchShipper.RetryAfter(new RetryConditionHeaderValue(now.AddSeconds(-30)), now));
        Assert.Equal(TimeSpan.Zero, BatchShipper.RetryAfter(null, now));
    }
}
