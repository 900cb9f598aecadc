using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Polaris.Wire.Tests;

/// <summary>Mutated real batches: the decoder returns a batch whose every summary is valid (each other one refused
/// with a reason) or throws <see cref="WireFormatException"/>, never anything else.</summary>
/// <remarks><c>POLARIS_FUZZ_MUTATIONS</c> and <c>POLARIS_FUZZ_SEED</c> run it longer or again
/// (<c>scripts/fuzz-batches.sh</c>); by default it stops after 20,000 mutations or 20 s, whichever comes first.</remarks>
public class BatchFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Mutated_batches_decode_to_valid_summaries_or_a_format_error_and_nothing_else()
    {
        int mutations = int.TryParse(Environment.GetEnvironmentVariable("POLARIS_FUZZ_MUTATIONS"), CultureInfo.InvariantCulture, out var n) ? n : 20_000;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("POLARIS_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 20261130;
        var limit = Environment.GetEnvironmentVariable("POLARIS_FUZZ_MUTATIONS") == null ? TimeSpan.FromSeconds(20) : TimeSpan.MaxValue;
        var corpus = BatchMutator.EncodedCorpus();
        var mutator = new BatchMutator(seed);
        int decoded = 0, refusedSummaries = 0, formatErrors = 0, done = 0;
        var clock = Stopwatch.StartNew();

        // At least 1,000 mutations whatever the time they take (a loaded machine ran 919 in 20 s), then as many as the limit allows.
        for (; done < mutations && (done < 1000 || clock.Elapsed < limit); done++)
        {
            var bytes = mutator.Next(corpus);
            try
            {
                var received = BatchCodec.Receive(bytes);
                decoded++;
                refusedSummaries += received.Refused.Count;
                Assert.All(received.Refused, r => Assert.False(string.IsNullOrEmpty(r.Reason)));
                // Every summary kept is valid: written again, the same summaries come back with none refused.
                var again = BatchCodec.Receive(BatchCodec.Encode(received.Batch));
                Assert.Empty(again.Refused);
                Assert.Equal(received.Batch.Summaries.Count, again.Batch.Summaries.Count);
            }
            catch (WireFormatException)
            {
                formatErrors++;
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"mutation {done} of seed {seed} ({bytes.Length} bytes; POLARIS_FUZZ_SEED={seed} repeats it) threw {e}");
            }
        }

        double seconds = clock.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fuzz: {done} mutations in {seconds:F1} s ({done / seconds:F0} mutations/s), seed {seed}: {decoded} decoded ({refusedSummaries} summaries refused), {formatErrors} format errors"));
        Assert.True(done >= 1000, $"only {done} mutations ran");
        Assert.True(decoded > 0 && formatErrors > 0, "the mutations should reach both the reader's refusals and its format errors");
    }

    [Fact]
    public void A_large_real_batch_decodes_within_the_decoders_window_and_segments()
    {
        var batch = BatchCodecTests.Sample() with
        {
            Summaries = SummaryBuilder.Summarize(Enumerable.Range(0, 3000).Select(i => new ProcessRecord
            {
                Host = "x1000c0s0b0n0", Uid = 1001, User = "asmith", Pid = 100 + i, StartedAtMs = 1_764_000_000_000 + i,
                Job = new JobContext { JobId = $"{i}.pbs" },
                Modules = Enumerable.Range(0, 200).Select(m => new ModuleImport($"pkg{i % 50}.m{m}", $"/lus/eagle/projects/p/{i}/pkg/m{m}.py")).ToArray(),
            })),
        };
        var bytes = BatchCodec.Encode(batch);
        Assert.True(BatchCodecTests.Decompress(bytes).Length > 20 * 1024 * 1024, "the batch should pass several segments and the 8 MiB window");

        var received = BatchCodec.Receive(bytes);

        Assert.Empty(received.Refused);
        Assert.Equal(3000, received.Batch.Summaries.Count);
    }
}
