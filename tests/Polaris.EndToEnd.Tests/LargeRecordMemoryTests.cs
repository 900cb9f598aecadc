using System.Globalization;
using System.Text;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>Record files at the size limit, full of forged module names, cost the daemon memory while it reads them and
/// not after: the memory goes back once they are taken in.</summary>
public class LargeRecordMemoryTests
{
    private const int Files = 3;
    private const int Modules = 760_000;

    [Fact]
    public void The_memory_large_forged_records_took_goes_back_once_they_are_taken_in()
    {
        using var dir = new TempDirectory("polaris-e2e");
        // No collector: the summaries stay in the spool, which is all this test needs.
        using var daemon = AgentDaemon.Start(dir.Path, new Uri("http://127.0.0.1:9/"));
        Thread.Sleep(500);
        long before = ResidentKiB(daemon.Process.Pid);
        long startNs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        for (int i = 0; i < Files; i++)
        {
            // Pids above any pid_max: no such process runs, so each file is taken in as soon as it is closed.
            var name = string.Create(CultureInfo.InvariantCulture, $"{20_000_000 + i}.{startNs + i}.rec");
            File.WriteAllBytes(Path.Combine(daemon.Drop, name), ForgedRecord(i));
        }

        daemon.Process.WaitUntil(() => daemon.Counters().GetValueOrDefault("processes_spooled") >= Files, "the forged records spooled", TimeSpan.FromMinutes(3));
        Assert.Equal(Files, daemon.Counters()["clipped_records"]);

        // Before, three such files left the daemon 55 to 66 MiB larger than it started, for good; now, a few seconds
        // after the last one, it keeps some 25 MiB (its caches' bounds and the summary of the clipped records).
        long after = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && (after = ResidentKiB(daemon.Process.Pid)) - before >= 32 * 1024)
        {
            Thread.Sleep(500);
        }
        Assert.True(after - before < 32 * 1024, $"resident {before} KiB before, {after} KiB a minute after {Files} files of {Modules} modules");
    }

    /// <summary>One frame of <see cref="Modules"/> one-word names (different in each file, as an attacker's would be),
    /// just under the 8 MiB limit.</summary>
    private static byte[] ForgedRecord(int k)
    {
        var text = new StringBuilder("polaris3\0py\u00003.11.2\0exe\0/usr/bin/python3\0m\0").Append(Modules);
        for (int i = 0; i < Modules; i++)
        {
            text.Append('\0').Append((char)('a' + (k % 26))).Append(i.ToString("D7", CultureInfo.InvariantCulture));
        }
        text.Append('\0', 2 * Modules).Append("\0exit\0exit");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var record = new byte[8 + bytes.Length];
        BitConverter.TryWriteBytes(record.AsSpan(0, 4), bytes.Length + 4);
        BitConverter.TryWriteBytes(record.AsSpan(4, 4), bytes.Length);
        bytes.CopyTo(record, 8);
        Assert.True(record.Length <= 8 * 1024 * 1024, $"{record.Length} bytes");
        return record;
    }

    private static long ResidentKiB(int pid) => ProcessStatus.KiB(pid, "VmRSS");
}
