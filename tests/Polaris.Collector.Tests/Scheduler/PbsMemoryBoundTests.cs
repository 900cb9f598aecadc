using System.Text;
using Polaris.Collector.Scheduler;
using Polaris.Testing;
using Xunit.Abstractions;

namespace Polaris.Collector.Tests.Scheduler;

/// <summary>A line past the bound costs the bound, never the line.</summary>
public class PbsMemoryBoundTests(ITestOutputHelper output)
{
    // The reader's own buffers: the 64 KiB read buffer and a line buffer that grows by doubling to the 1 MiB bound
    // (about 2 MiB allocated in all), and the records.
    private const long AllowedBytes = 3L << 20;

    /// <summary>Reads the fixture once, so what one-time start-up (JIT, static tables, time zones) allocates on this
    /// thread is not counted against the read measured.</summary>
    private static void WarmUp() => PbsLogs.ReadFile(PbsLogs.Fixture);

    [Fact]
    public void A_line_of_two_megabytes_is_malformed_and_its_neighbours_are_read()
    {
        using var folder = new TempDirectory();
        var path = folder.Combine("20250414");
        using (var log = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            log.Write(PbsLogs.EndLine("1.s") + "\n");
            log.Write(PbsLogs.EndLine("2.s", "exec_host=" + new string('x', 2 << 20)) + "\n");
            log.Write(PbsLogs.EndLine("3.s") + "\n");
        }

        WarmUp();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (records, summary) = PbsLogs.ReadFile(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{allocated} bytes allocated");

        Assert.Equal(["1", "3"], records.Select(r => r.JobKey));
        Assert.Equal(new PbsParseError(2, $"the line is longer than {PbsAccountingReader.MaxLineBytes} bytes"), Assert.Single(summary.FirstErrors));
        Assert.Equal(new FileInfo(path).Length, summary.BytesRead);
        Assert.InRange(allocated, 0, AllowedBytes);
    }

    [Fact]
    public void A_file_of_fifty_megabytes_in_one_line_without_a_newline_costs_a_bounded_buffer()
    {
        const int chunkBytes = 1 << 20, chunks = 50;
        using var folder = new TempDirectory();
        var path = folder.Combine("20250414");
        using (var log = File.Create(path))
        {
            var chunk = Encoding.ASCII.GetBytes(PbsLogs.EndLine("1.s", "exec_host=")).Concat(Enumerable.Repeat((byte)'x', chunkBytes)).Take(chunkBytes).ToArray();
            log.Write(chunk);
            Array.Fill(chunk, (byte)'+');
            for (int i = 1; i < chunks; i++)
            {
                log.Write(chunk);
            }
        }

        WarmUp();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (records, summary) = PbsLogs.ReadFile(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{allocated} bytes allocated");

        Assert.Empty(records);
        Assert.Equal((1, 1, (long)chunkBytes * chunks), (summary.Lines, summary.MalformedLines, summary.BytesRead));
        Assert.InRange(allocated, 0, AllowedBytes);
        Assert.True(allocated < (long)chunkBytes * chunks / 10, $"{allocated} bytes allocated to read {chunkBytes * chunks}");
    }

    [Fact]
    public void Reading_many_lines_allocates_for_the_records_not_the_lines()
    {
        var line = Encoding.UTF8.GetBytes(PbsLogs.EndLine(attributes: "exec_host=" + string.Join('+', Enumerable.Repeat("x3001c0s13b0n0/0*64", 2000))) + "\n");
        using var log = new MemoryStream();
        for (int i = 0; i < 500; i++)
        {
            log.Write(line);
        }
        log.Position = 0;

        WarmUp();
        long before = GC.GetAllocatedBytesForCurrentThread();
        long count = new PbsAccountingReader(log, TimeZoneInfo.Utc).ReadRecords().LongCount();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{allocated} bytes allocated");

        Assert.Equal(500, count);
        Assert.True(allocated < log.Length / 10, $"{allocated} bytes allocated to read {log.Length}");
    }
}
