using System.Diagnostics;
using System.Text.Json.Nodes;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>No user speaks for another, and no user's garbage or flood stops the daemon serving the others: a second,
/// real user (nobody, through setpriv) writes into the drop folder.</summary>
public class TrustTests
{
    private const uint Nobody = NobodyUser.Uid;

    private static CommandResult AsNobody(params string[] command) => NobodyUser.Run(command);

    /// <summary>A Python program, run as nobody, that writes record files into the drop folder (argv[1]): a frame of
    /// the hook's format claiming root and pid 1, in files named after made-up processes.</summary>
    private const string Forger = """
        import os, sys
        drop, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        text = "\0".join(["polaris3", "uid", "0", "user", "root", "pid", "1", "py", "3.11.2",
                          "m", "1", "forged_library", "/root/forged_library.py", "6.6.6",
                          "end", "1764000000000000000", "exit", "exit"]).encode()
        frame = (len(text) + 4).to_bytes(4, "little") + len(text).to_bytes(4, "little") + text
        for i in range(first, first + count):
            fd = os.open("%s/%d.1764000000000000000.rec" % (drop, 4000000 + i), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.write(fd, frame)
            os.close(fd)
        """;

    private static void OpenToOthers(string folder) => File.SetUnixFileMode(folder,
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);

    [Fact]
    public void A_record_is_its_file_owner_s_whatever_its_content_claims()
    {
        using var node = new NodeUnderTest();
        OpenToOthers(node.Folder);

        var run = AsNobody(AgentBinary.FilePath, "run", "--drop", node.Daemon.Drop, "--", RepoPaths.Python, "-c", "import json");
        var forged = AsNobody(RepoPaths.Python, "-c", Forger, node.Daemon.Drop, "0", "1");

        Assert.True(run.ExitCode == 0, run.StderrText);
        Assert.True(forged.ExitCode == 0, forged.StderrText);
        var real = node.Collector.WaitForProcess(run.Pid);
        Assert.Equal((Nobody, "nobody"), ((uint)real.Long("uid"), real.Text("user")));
        Assert.Contains("json", real.ModuleNames());
        node.Collector.Process.WaitUntil(() => node.Collector.StoredPids().Length == 2, "the forged record");
        var claimed = node.Collector.Summaries().Single(p => p.ModuleNames().Contains("forged_library"));
        Assert.Equal((Nobody, "nobody"), ((uint)claimed.Long("uid"), claimed.Text("user")));
    }

    [Fact]
    public void A_pid_counts_as_verified_only_when_the_kernel_saw_it_run_as_the_file_s_owner()
    {
        using var node = new NodeUnderTest();
        OpenToOthers(node.Folder);
        // Root's init, with its real start time: a name that passes every check but the owner's.
        var init = ProcessStart(1);
        var forged = AsNobody(RepoPaths.Python, "-c", Forger.Replace("4000000 + i", "1", StringComparison.Ordinal)
            .Replace("1764000000000000000.rec", init.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".rec", StringComparison.Ordinal),
            node.Daemon.Drop, "0", "1");
        var run = AsNobody(AgentBinary.FilePath, "run", "--drop", node.Daemon.Drop, "--", RepoPaths.Python, "-c", "import json, time; time.sleep(1)");

        Assert.True(forged.ExitCode == 0, forged.StderrText);
        Assert.True(run.ExitCode == 0, run.StderrText);
        node.Collector.Process.WaitUntil(() => node.Collector.StoredPids().Length == 2, "both records");
        var real = node.Collector.WaitForProcess(run.Pid).Member(run.Pid);
        Assert.True(real.GetProperty("pidok").GetBoolean(), "the real process was seen running as nobody");
        var claimed = node.Collector.WaitForProcess(1).Member(1);
        Assert.False(claimed.GetProperty("pidok").GetBoolean(), "pid 1 is root's, not nobody's");
    }

    /// <summary>When process <paramref name="pid"/> started, Unix ns, from /proc as the daemon reads it.</summary>
    private static long ProcessStart(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var ticks = long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], System.Globalization.CultureInfo.InvariantCulture);
        var boot = long.Parse(File.ReadLines("/proc/stat").First(l => l.StartsWith("btime ", StringComparison.Ordinal))[6..], System.Globalization.CultureInfo.InvariantCulture);
        return (boot * 1_000_000_000L) + (ticks * 10_000_000L);
    }

    [Fact]
    public void Garbage_and_a_flood_from_one_user_are_dropped_and_counted_while_the_daemon_serves_the_others()
    {
        using var dir = new TempDirectory("polaris-e2e");
        OpenToOthers(dir.Path);
        var drop = dir.Combine("incoming");
        Directory.CreateDirectory(drop);
        File.SetUnixFileMode(drop, (UnixFileMode)Convert.ToInt32("1733", 8));
        // Left while no daemon ran, so that start-up takes them in: files no close ever announces.
        var junk = AsNobody(RepoPaths.Python, "-c", """
            import os, sys
            drop = sys.argv[1]
            os.mkfifo(drop + "/1.1.rec")
            os.symlink("/etc/shadow", drop + "/2.2.rec")
            for name, data in [("3.3.rec", os.urandom(3000)), ("4.4.rec", b""), ("5.5.rec", b"x" * 200000), ("not-a-record", b"hello")]:
                with open(drop + "/" + name, "wb") as f:
                    f.write(data)
            """, drop);
        Assert.True(junk.ExitCode == 0, junk.StderrText);
        using var collector = CollectorProcess.Start(dir.Combine("collector"));
        var settings = new JsonObject { ["userRecordsPerSecond"] = 5, ["userRecordBurst"] = 20, ["maxRecordBytes"] = 65536 };
        using var daemon = AgentDaemon.Start(dir.Path, collector.Url, settings);

        var flood = Stopwatch.StartNew();
        var forged = AsNobody(RepoPaths.Python, "-c", Forger, drop, "0", "300");
        Assert.True(forged.ExitCode == 0, forged.StderrText);
        // Root's own process goes through as if nobody had flooded.
        var run = daemon.Run([RepoPaths.Python, "-c", "import json"]);
        collector.WaitForProcess(run.Pid);
        daemon.Process.WaitUntil(() => Directory.EnumerateFiles(drop, "4*.rec").Count() == 0, "the flood taken in or dropped");
        double seconds = flood.Elapsed.TotalSeconds;
        daemon.Process.Terminate();

        var counters = AgentDaemon.StoppedCounters(daemon.Process.Output);
        Assert.True(counters["dropped_not_regular"] >= 2, daemon.Process.Output);
        Assert.True(counters["dropped_oversized"] >= 1, daemon.Process.Output);
        Assert.True(counters["dropped_malformed"] >= 3, daemon.Process.Output);
        // The burst of 20, less the two unparsable files of nobody's that were read, plus 5 a second.
        var taken = counters["received"] - 1;
        Assert.InRange(taken, 18, 18 + (5 * seconds) + 1);
        Assert.Equal(300 - taken, counters["dropped_rate_limited"]);
        var stored = collector.Summaries();
        Assert.Equal(taken, stored.Where(p => p.Long("uid") == Nobody).Sum(p => p.Number("procs")));
    }
}
