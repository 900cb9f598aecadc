using System.Net;
using Polaris.Agent.Serve.Ship;

namespace Polaris.Agent.Tests;

public class BatchShipperTests
{
    [Theory]
    [InlineData(HttpStatusCode.OK, DeliveryOutcome.Delivered)]
    [InlineData(HttpStatusCode.Accepted, DeliveryOutcome.Delivered)]
    [InlineData(HttpStatusCode.BadRequest, DeliveryOutcome.Rejected)]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, DeliveryOutcome.Rejected)]
    [InlineData(HttpStatusCode.Unauthorized, DeliveryOutcome.Failed)]
    [InlineData(HttpStatusCode.TooManyRequests, DeliveryOutcome.Busy)]
    [InlineData(HttpStatusCode.RequestTimeout, DeliveryOutcome.Failed)]
    [InlineData(HttpStatusCode.ServiceUnavailable, DeliveryOutcome.Busy)]
    [InlineData(HttpStatusCode.InternalServerError, DeliveryOutcome.Failed)]
    public void Only_an_acknowledgement_lets_a_batch_go_and_only_a_bad_batch_is_set_aside(HttpStatusCode status, DeliveryOutcome expected)
    {
        Assert.Equal(expected, BatchShipper.Classify(status));
    }

    [Fact]
    public void Backoff_grows_to_its_ceiling_with_jitter_and_resets()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));

        var waits = Enumerable.Range(0, 8).Select(_ => backoff.Next()).ToArray();

        Assert.InRange(waits[0], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.InRange(waits[2], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        Assert.All(waits[4..], w => Assert.InRange(w, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)));
        backoff.Reset();
        Assert.InRange(backoff.Next(), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
    }
}
