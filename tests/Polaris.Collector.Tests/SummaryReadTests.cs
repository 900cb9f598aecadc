using System.Net;
using Polaris.Testing;
using Polaris.Wire;
using Xunit.Abstractions;

namespace Polaris.Collector.Tests;

/// <summary><c>GET /v1/summaries</c> costs one summary's memory at a time, whatever its limit asks for (issue 10:
/// bound memory per request).</summary>
public class SummaryReadTests(ITestOutputHelper output)
{
    /// <summary>A summary inside every bound that is about 5.6 MB of JSON: 1,400 modules with 4,000-byte paths.</summary>
    private static ProcessSummary Wide(int n)
    {
        var good = Assert.Single(SummaryBuilder.Summarize(
        [
            new ProcessRecord
            {
                Host = "node01", Uid = 1001, User = "mallory", Pid = 100 + n, StartedAtMs = (TestClock.BaseMs + 000_000) + n, EndedAtMs = (TestClock.BaseMs + 000_500) + n,
                Modules = [new ModuleImport("numpy", "/x/numpy/__init__.py")],
            },
        ]));
        var path = "/" + new string('a', 4000);
        return good with { Modules = Enumerable.Range(0, 1400).Select(i => good.Modules[0] with { Name = "m" + i, File = path + i }).ToArray() };
    }

    [Fact]
    public async Task Reading_500_MB_of_summaries_streams_them_and_memory_stays_bounded()
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.Start(dir.Path);
        // Five 5.6 MB summaries a batch: within the 32 MiB a batch may hold.
        for (int b = 0; b < 18; b++)
        {
            var batch = new Batch { Key = "wide-" + b, Node = "node01", CreatedAtMs = (TestClock.BaseMs + 001_000), Summaries = Enumerable.Range(b * 5, 5).Select(Wide).ToArray() };
            using var posted = await collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(BatchCodec.Encode(batch)));
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }
        var before = MemoryBoundTests.PeakResidentBytes(collector.Process.Pid);

        using var response = await collector.Http.GetAsync("v1/summaries?limit=10000", HttpCompletionOption.ResponseHeadersRead);
        long bytes = 0;
        await using (var body = await response.Content.ReadAsStreamAsync())
        {
            var buffer = new byte[1 << 20];
            for (int read; (read = await body.ReadAsync(buffer)) > 0;)
            {
                bytes += read;
            }
        }
        var grown = MemoryBoundTests.PeakResidentBytes(collector.Process.Pid) - before;
        output.WriteLine($"{bytes} bytes of JSON; peak resident memory {before >> 20} MiB after ingest, grew {grown >> 20} MiB in the read");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(bytes, 500_000_000L, long.MaxValue);
        // Joined into one string, 500 MB of JSON took 2 bytes a character twice over (each document's text and the
        // whole), over 2 GB; streamed, one document at a time.
        Assert.InRange(grown, 0, 256L << 20);
        Assert.Equal(90, collector.Summaries().Count);
    }
}
