using System.Net;
using Polaris.Testing;
using Xunit.Abstractions;
using ZstdSharp;

namespace Polaris.Collector.Tests;

/// <summary>Decompression bombs against the real collector: refused fast, within a memory bound across concurrent
/// requests, and the collector serves on (issue 10, item 5).</summary>
public class MemoryBoundTests(ITestOutputHelper output)
{
    private const long BombBytes = 1L << 30;

    private static readonly Lazy<byte[]> Undeclared = new(() => Bomb(declare: false));
    private static readonly Lazy<byte[]> Declared = new(() => Bomb(declare: true));

    /// <summary>A zstd frame of a few kilobytes that inflates to 1 GiB of zeros, with or without its size declared.</summary>
    private static byte[] Bomb(bool declare)
    {
        using var output = new MemoryStream();
        using (var zstd = new CompressionStream(output, 19))
        {
            if (declare)
            {
                zstd.SetPledgedSrcSize((ulong)BombBytes);
            }
            var zeros = new byte[1 << 20];
            for (long written = 0; written < BombBytes; written += zeros.Length)
            {
                zstd.Write(zeros);
            }
        }
        return output.ToArray();
    }

    /// <summary>A zstd frame of RLE blocks written by hand: a few kilobytes that inflate to exactly the collector's
    /// decompression limit (32 MiB of zeros), with or without the size declared in the frame header.</summary>
    /// <remarks>Its block headers bound what it inflates to within the limit, so the collector cannot refuse it on
    /// its claimed size: only inflating it shows it is no batch, and that must cost a bounded buffer.</remarks>
    private static byte[] RleFrame(bool declare)
    {
        const int blockBytes = 128 * 1024, blocks = Polaris.Wire.SummaryBounds.MaxBatchBytes / blockBytes;
        var frame = new List<byte> { 0x28, 0xB5, 0x2F, 0xFD };
        if (declare)
        {
            // Frame header: 4-byte content size, single segment.
            frame.Add(0xA0);
            frame.AddRange(BitConverter.GetBytes((uint)(blockBytes * blocks)));
        }
        else
        {
            // No content size; a window of 2^20 bytes.
            frame.Add(0x00);
            frame.Add(10 << 3);
        }
        for (int i = 0; i < blocks; i++)
        {
            int header = (blockBytes << 3) | (1 << 1) | (i == blocks - 1 ? 1 : 0);
            frame.AddRange([(byte)header, (byte)(header >> 8), (byte)(header >> 16), 0x00]);
        }
        return [.. frame];
    }

    /// <summary>The collector's peak resident memory so far (VmHWM), in bytes.</summary>
    internal static long PeakResidentBytes(int pid) => ProcessStatus.KiB(pid, "VmHWM") * 1024;

    [Fact]
    public void The_bombs_are_a_few_kilobytes()
    {
        Assert.InRange(Undeclared.Value.Length, 1, 64 * 1024);
        Assert.InRange(Declared.Value.Length, 1, 64 * 1024);
        using (var decompressor = new Decompressor())
        {
            Assert.Equal(Polaris.Wire.SummaryBounds.MaxBatchBytes, decompressor.Unwrap(RleFrame(declare: true)).Length);
            Assert.Equal(Polaris.Wire.SummaryBounds.MaxBatchBytes, decompressor.Unwrap(RleFrame(declare: false), Polaris.Wire.SummaryBounds.MaxBatchBytes).Length);
        }
        Assert.Equal((ulong)BombBytes, Decompressor.GetDecompressedSize(Declared.Value));
    }

    [Fact]
    public async Task Sixteen_concurrent_bombs_with_and_without_a_declared_size_get_4xx_or_503_and_memory_stays_bounded()
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.Start(dir.Path);
        var before = PeakResidentBytes(collector.Process.Pid);

        using (var declared = await collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(Declared.Value)))
        using (var undeclared = await collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(Undeclared.Value)))
        {
            output.WriteLine($"declared: {await declared.Content.ReadAsStringAsync()}");
            output.WriteLine($"undeclared: {await undeclared.Content.ReadAsStringAsync()}");
            Assert.Equal(HttpStatusCode.BadRequest, declared.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, undeclared.StatusCode);
        }
        var frames = new[] { RleFrame(declare: false), RleFrame(declare: true) };
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            using var response = await collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(frames[i % 2]));
            return response.StatusCode;
        }));

        output.WriteLine(string.Join(", ", answers.Select(a => (int)a)));
        Assert.Contains(HttpStatusCode.BadRequest, answers);
        Assert.All(answers, status => Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.ServiceUnavailable, status.ToString()));
        var peak = PeakResidentBytes(collector.Process.Pid);
        output.WriteLine($"collector peak resident memory: {before >> 20} MiB before the bombs, {peak >> 20} MiB after");
        // The budget is 256 MiB for bodies and decompression buffers together; before it, each frame took the
        // decompression limit up front and its copy, and sixteen at once took gigabytes.
        Assert.True(peak - before < 512L * 1024 * 1024, $"peak resident memory grew by {(peak - before) >> 20} MiB (from {before >> 20} MiB)");
        using var good = await collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(
            Polaris.Wire.BatchCodec.Encode(CollectorStoreTests.BatchOf("after-bombs", ["numpy"]))));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    /// <summary>A batch of valid summaries whose decoded objects hold many times their bytes (10,000 members with 64
    /// variables of two-byte names and one-byte values, 16,384 modules of short names), refused only at its end
    /// (its <c>created</c> out of range), so that every summary is held decoded until then: 11 MiB of MessagePack,
    /// 27 KB compressed, about 200 MiB decoded.</summary>
    private static readonly Lazy<byte[]> Wide = new(() =>
    {
        var good = CollectorStoreTests.BatchOf("wide", ["numpy"]).Summaries[0];
        var variables = Enumerable.Range(0, Polaris.Wire.SummaryBounds.MaxVariables).ToDictionary(i => $"V{i}", _ => (string?)"x");
        var summary = good with
        {
            Members = Enumerable.Range(0, 10_000).Select(i => good.Members[0] with { Pid = i + 1, Variables = variables }).ToArray(),
            Modules = Enumerable.Range(0, Polaris.Wire.SummaryBounds.MaxModulesPerSummary).Select(i => new Polaris.Wire.ModuleUse("l" + i, "") { Processes = 1 }).ToArray(),
        };
        return Polaris.Wire.BatchCodec.Encode(new Polaris.Wire.Batch
        {
            Key = "wide-members", Node = "node01", CreatedAtMs = 0, Summaries = [summary, summary, summary],
        });
    });

    [Fact]
    public async Task Sixteen_concurrent_batches_that_decode_to_many_times_their_size_get_400_or_503_and_memory_stays_bounded()
    {
        using var dir = new TempDirectory();
        // The test's budget: 256 MiB, with batches of at most 16 MiB decompressed so that one largest fits it.
        using var collector = CollectorProcess.StartOn(new Uri("http://127.0.0.1:0"), dir.Path, new Dictionary<string, string>
        {
            ["POLARIS_COLLECTOR_MAX_BYTES_IN_FLIGHT"] = (256L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["POLARIS_COLLECTOR_MAX_DECOMPRESSED_BYTES"] = (16 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var body = Wide.Value;
        var before = PeakResidentBytes(collector.Process.Pid);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            using var response = await collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(body));
            return response.StatusCode;
        }));

        var peak = PeakResidentBytes(collector.Process.Pid);
        output.WriteLine($"{body.Length} bytes compressed, {Decompressor.GetDecompressedSize(body)} decompressed; answers {string.Join(", ", answers.Select(a => (int)a))}");
        output.WriteLine($"collector peak resident memory: {before >> 20} MiB before, {peak >> 20} MiB after");
        Assert.All(answers, status => Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.ServiceUnavailable, status.ToString()));
        // The budget now covers what the decoded objects hold: before it, each post held its summaries decoded (about
        // 200 MiB) whatever the others held, and sixteen at once took 3.7 GB. What refused decodes left awaits the
        // garbage collector beside what the budget holds: 772 MiB measured.
        Assert.True(peak - before < 4 * (256L << 20), $"peak resident memory grew by {(peak - before) >> 20} MiB (from {before >> 20} MiB)");
        using var good = await collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(
            Polaris.Wire.BatchCodec.Encode(CollectorStoreTests.BatchOf("after-wide", ["numpy"]))));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    [Fact]
    public async Task A_batch_of_summaries_with_16384_modules_each_is_stored_one_document_at_a_time()
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.Start(dir.Path);
        var good = Assert.Single(Polaris.Wire.SummaryBuilder.Summarize(
        [
            new Polaris.Wire.ProcessRecord
            {
                Host = "node01", Uid = 1001, User = "mallory", Pid = 1, StartedAtMs = (TestClock.BaseMs + 000_000), EndedAtMs = (TestClock.BaseMs + 000_500),
                Modules = [new Polaris.Wire.ModuleImport("numpy", "/x/numpy/__init__.py")],
            },
        ]));
        // Inside every bound: 415 KB of MessagePack a summary, a 6 KB batch compressed. Each summary is a 39 MB document
        // in memory, and all of a batch's documents were built before its transaction: 151 of them (60 MiB) took the
        // collector to 9.6 GB, these 40 to 2.5 GB more; one at a time, under 1 GB.
        var summary = good with { Modules = Enumerable.Range(0, 16_384).Select(i => new Polaris.Wire.ModuleUse("l" + i, "") { Processes = 1 }).ToArray() };
        var batch = Polaris.Wire.BatchCodec.Encode(new Polaris.Wire.Batch
        {
            Key = "wide-modules", Node = "node01", CreatedAtMs = (TestClock.BaseMs + 001_000), Summaries = Enumerable.Repeat(summary, 40).ToArray(),
        });
        var before = PeakResidentBytes(collector.Process.Pid);

        using var response = await collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(batch));

        var grown = PeakResidentBytes(collector.Process.Pid) - before;
        output.WriteLine($"{batch.Length} bytes compressed; peak resident memory grew {grown >> 20} MiB");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(40, collector.Metric("polaris_python_processes_total"));
        Assert.InRange(grown, 0, 1536L << 20);
    }

    [Fact]
    public async Task Three_hundred_slow_posts_do_not_spend_the_budget_of_the_others()
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.Start(dir.Path);
        var slow = new List<System.Net.Sockets.TcpClient>();
        using var stop = new CancellationTokenSource();
        Task? trickle = null;
        try
        {
            // Each post claims 32 MiB and sends a kilobyte a second, enough for Kestrel's minimum data rate (240 B/s):
            // with a first buffer of 1 MiB, 256 of them (61 KB/s in all) held the whole 256 MiB budget and every
            // other post was answered 503 for as long as they kept trickling.
            for (int i = 0; i < 300; i++)
            {
                var client = new System.Net.Sockets.TcpClient();
                slow.Add(client);
                await client.ConnectAsync(collector.Url.Host, collector.Url.Port);
                var head = $"POST /v1/batches HTTP/1.1\r\nHost: {collector.Url.Authority}\r\nContent-Type: {Polaris.Wire.WireFormat.ContentType}\r\nContent-Length: {(32 * 1024 * 1024) - 1}\r\n\r\n0123456789";
                await client.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
            }
            trickle = Task.Run(async () =>
            {
                var kilobyte = new byte[1024];
                while (!stop.IsCancellationRequested)
                {
                    foreach (var client in slow)
                    {
                        await client.GetStream().WriteAsync(kilobyte, stop.Token);
                    }
                    await Task.Delay(500, stop.Token);
                }
            }, stop.Token);
            collector.WaitForMetric("polaris_collector_ingest_bytes_in_flight", 300 * 16 * 1024);

            using var good = await collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(
                Polaris.Wire.BatchCodec.Encode(CollectorStoreTests.BatchOf("beside-slow-posts", ["numpy"]))));

            Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        }
        finally
        {
            await stop.CancelAsync();
            if (trickle != null)
            {
                await Task.WhenAny(trickle);
            }
            slow.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Posts_that_claim_a_large_body_and_send_little_do_not_spend_the_budget_of_the_others()
    {
        using var dir = new TempDirectory();
        using var collector = CollectorProcess.Start(dir.Path);
        var slow = new List<System.Net.Sockets.TcpClient>();
        try
        {
            // Sixteen posts that claim 32 MiB each and hold their connection after 10 bytes: eight such claims, taken at
            // their word, held the whole 256 MiB budget, and every other post was answered 503.
            for (int i = 0; i < 16; i++)
            {
                var client = new System.Net.Sockets.TcpClient();
                slow.Add(client);
                await client.ConnectAsync(collector.Url.Host, collector.Url.Port);
                var head = $"POST /v1/batches HTTP/1.1\r\nHost: {collector.Url.Authority}\r\nContent-Type: {Polaris.Wire.WireFormat.ContentType}\r\nContent-Length: {(32 * 1024 * 1024) - 1}\r\n\r\n0123456789";
                await client.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
            }
            collector.WaitForMetric("polaris_collector_ingest_bytes_in_flight", 16 * 16 * 1024);

            using var good = await collector.Http.PostAsync("v1/batches", SummaryRefusalServiceTests.Body(
                Polaris.Wire.BatchCodec.Encode(CollectorStoreTests.BatchOf("beside-slow-posts", ["numpy"]))));

            Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        }
        finally
        {
            slow.ForEach(c => c.Dispose());
        }
    }
}
