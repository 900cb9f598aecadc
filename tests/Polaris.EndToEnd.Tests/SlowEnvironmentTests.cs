using System.Text;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A record names its environment, and a user can make that environment slow to read: the daemon reads it
/// off the thread that takes in every user's records, so no other user's records wait for it.</summary>
public class SlowEnvironmentTests
{
    private const int Environments = 10;

    /// <summary>Writes, as nobody, one record file into the drop folder (argv[1]) for each environment named after it:
    /// a frame of the hook's format whose prefix is that environment.</summary>
    private const string Writer = """
        import os, sys
        drop, prefixes = sys.argv[1], sys.argv[2:]
        for i, prefix in enumerate(prefixes):
            text = "\0".join(["polaris3", "py", "3.11.2", "prefix", prefix, "base", prefix, "exe", prefix + "/bin/python3",
                              "m", "1", "slowlib", prefix + "/lib/python3.11/site-packages/slowlib.py", "1.0",
                              "end", "1764000000000000000", "exit", "exit"]).encode()
            frame = (len(text) + 4).to_bytes(4, "little") + len(text).to_bytes(4, "little") + text
            fd = os.open("%s/%d.1764000000000000000.rec" % (drop, 4100000 + i), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.write(fd, frame)
            os.close(fd)
        """;

    [Fact]
    public void Records_naming_environments_slow_to_read_hold_up_no_other_user_s_records()
    {
        using var node = new NodeUnderTest();
        File.SetUnixFileMode(node.Folder, (UnixFileMode)Convert.ToInt32("711", 8));
        var prefixes = SlowEnvironments(Path.Combine(node.Folder, "envs"), Environments);
        var before = node.Daemon.Run([RepoPaths.Python, "-c", "import json"]);
        node.Collector.WaitForProcess(before.Pid);

        var written = NobodyUser.Run([RepoPaths.Python, "-c", Writer, node.Daemon.Drop, .. prefixes]);
        Assert.True(written.ExitCode == 0, written.StderrText);
        var run = node.Daemon.Run([RepoPaths.Python, "-c", "import json"]);
        node.Collector.WaitForProcess(run.Pid);
        int nobodysBefore = NobodysSummaries(node);

        // Root's record came after all of nobody's, yet went through while most of them were still being read:
        // one user's environments cost that user's records time, not everyone's. When the receive thread read
        // them itself, root's record came after every one of nobody's.
        Assert.True(nobodysBefore <= Environments / 2, $"{nobodysBefore} of nobody's {Environments} summaries were stored before root's");
        node.Collector.Process.WaitUntil(() => NobodysSummaries(node) == Environments, "nobody's summaries");
        Assert.True(node.Daemon.Counters()["enrich_waited"] >= Environments, node.Daemon.Process.Output);
    }

    private static int NobodysSummaries(NodeUnderTest node) => node.Collector.Summaries().Count(s => s.Long("uid") == NobodyUser.Uid);

    /// <summary>Conda environments whose <c>conda-meta/</c> is as costly as the daemon reads for one environment:
    /// 20,000 package records, 64 MiB in all (the reader's bounds), shared by all through symlinks.</summary>
    private static string[] SlowEnvironments(string folder, int count)
    {
        var meta = Path.Combine(folder, "meta");
        Directory.CreateDirectory(meta);
        var files = new StringBuilder();
        for (int i = 0; i < 160; i++)
        {
            files.Append(i == 0 ? "" : ",").Append("\"lib/python3.11/site-packages/pkg/module").Append(i).Append(".py\"");
        }
        for (int i = 0; i < 20_000; i++)
        {
            File.WriteAllText(Path.Combine(meta, $"pkg{i}-1.0-0.json"),
                $"{{\"name\":\"pkg{i}\",\"version\":\"1.0\",\"build\":\"0\",\"channel\":\"conda-forge\",\"files\":[{files}]}}");
        }
        var prefixes = new string[count];
        for (int i = 0; i < count; i++)
        {
            prefixes[i] = Path.Combine(folder, $"env{i}");
            Directory.CreateDirectory(prefixes[i]);
            File.CreateSymbolicLink(Path.Combine(prefixes[i], "conda-meta"), meta);
        }
        return prefixes;
    }
}
