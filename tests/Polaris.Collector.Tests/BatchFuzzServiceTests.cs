using System.Net;
using Polaris.Testing;
using Polaris.Wire.Tests;
using Xunit.Abstractions;

namespace Polaris.Collector.Tests;

/// <summary>Mutated real batches posted to the real collector: never a 5xx, and it serves on.</summary>
public class BatchFuzzServiceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Mutated_batches_posted_to_the_collector_are_never_answered_5xx()
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.Start(dir.Path);
        var corpus = BatchMutator.EncodedCorpus();
        var mutator = new BatchMutator(20261130);
        var answers = new Dictionary<HttpStatusCode, int>();

        for (int i = 0; i < 400; i++)
        {
            var bytes = mutator.Next(corpus);
            using var response = await collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(bytes));
            answers[response.StatusCode] = answers.GetValueOrDefault(response.StatusCode) + 1;
            Assert.True((int)response.StatusCode < 500, $"mutation {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        output.WriteLine(string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{(int)a.Key}: {a.Value}")));
        Assert.Contains(HttpStatusCode.OK, answers.Keys);
        Assert.Contains(HttpStatusCode.BadRequest, answers.Keys);
        using var good = await collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(
            Polaris.Wire.BatchCodec.Encode(CollectorStoreTests.BatchOf("after-fuzz", ["numpy"]))));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }
}
