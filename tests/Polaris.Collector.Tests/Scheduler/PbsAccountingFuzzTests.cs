using Polaris.Collector.Scheduler;
using Xunit.Abstractions;

namespace Polaris.Collector.Tests.Scheduler;

/// <summary>Damaged logs made from the fixture: the reader ends, every line is accounted for, every record it
/// gives is within bounds, and no exception comes of what the log holds.</summary>
public class PbsAccountingFuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 4000;

    // Bytes that mean something to the format, so mutations reach past the first check.
    private static readonly byte[] Telling = "; =\"\n\r:/.[]-+0123456789ES\0\u007f"u8.ToArray().Concat(new byte[] { 0xC3, 0xFF, 0xE2, 0x82 }).ToArray();

    [Fact]
    public void Mutated_logs_are_read_to_their_end_without_an_exception()
    {
        var fixture = File.ReadAllBytes(PbsLogs.Fixture);
        var random = new Random(20250414);
        long records = 0, malformed = 0;
        for (int i = 0; i < Iterations; i++)
        {
            var log = Mutate(fixture, random);
            PbsJobRecord[] read;
            PbsImportSummary summary;
            try
            {
                (read, summary) = PbsLogs.Read(log);
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {i} (seed 20250414): {e}");
                throw;
            }
            Assert.Equal(summary.Lines, summary.RecordsTaken + summary.Skipped + summary.MalformedLines);
            Assert.Equal(read.Length, summary.RecordsTaken);
            Assert.Equal(log.Length, summary.BytesRead);
            Assert.All(read, AssertWithinBounds);
            records += read.Length;
            malformed += summary.MalformedLines;
        }
        output.WriteLine($"{Iterations} logs: {records} records taken, {malformed} malformed lines");
        // The mutations must leave much readable and spoil much, or the test proves little.
        Assert.InRange(records, Iterations, long.MaxValue);
        Assert.InRange(malformed, Iterations / 2, long.MaxValue);
    }

    private static void AssertWithinBounds(PbsJobRecord record)
    {
        Assert.Equal(JobKey.Of(record.JobId), record.JobKey);
        Assert.InRange(record.EventTime, new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2101, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.InRange(record.NodeCount ?? 1, 1, 1_000_000);
        Assert.InRange(record.Walltime ?? TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromDays(3653));
        Assert.All(new[] { record.User, record.Group, record.Account, record.Project, record.Queue }, text =>
        {
            Assert.InRange(text?.Length ?? 1, 1, 256);
            Assert.DoesNotContain(text ?? "", char.IsControl);
        });
        foreach (var time in new[] { record.Start, record.End })
        {
            Assert.InRange(time?.Year ?? 2000, 2000, 2100);
        }
    }

    private static byte[] Mutate(byte[] log, Random random)
    {
        var bytes = new List<byte>(log);
        int mutations = random.Next(1, 9);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = Telling[random.Next(Telling.Length)];
                    break;
                case 2:
                    bytes.Insert(at, random.Next(4) == 0 ? (byte)random.Next(256) : Telling[random.Next(Telling.Length)]);
                    break;
                case 3:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 64), bytes.Count - at));
                    break;
                case 4:
                    int length = Math.Min(random.Next(1, 400), bytes.Count - at);
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }
        return [.. bytes];
    }
}
