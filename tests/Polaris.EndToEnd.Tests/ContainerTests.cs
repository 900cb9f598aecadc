using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A container's own Python, set up as Apptainer sets one up (<see cref="ContainerPython"/>): binding the hook
/// folder and the drop folder and putting the hook on PYTHONPATH is all it takes for the host's daemon to record it,
/// as the user who ran it. In a PID namespace of its own (<c>--pid</c>, <c>--containall</c>) the name of its record
/// carries the pid it sees itself as, which the host's /proc does not know: the daemon finds it by that pid in its
/// namespace (NSpid), so it is read while it runs and a daemon restarted meanwhile waits for its end, as for any
/// process of the host.</summary>
public class ContainerTests
{
    /// <summary>Code that prints the pid and uid the container shows it, whether POLARIS_AGENT_DROP is set, and whether
    /// the host's drop folder is visible: it is not, the record goes through the folder bound at the default path.</summary>
    private static string Report(string hostDrop) =>
        $"import json, os; print(os.getpid(), os.getuid(), 'POLARIS_AGENT_DROP' in os.environ, os.path.exists('{hostDrop}'))";

    [Theory]
    [InlineData(ContainerMode.Setuid)]
    [InlineData(ContainerMode.SetuidWithPid)]
    [InlineData(ContainerMode.UserNamespaceWithPid)]
    public void A_container_s_own_Python_is_recorded_as_the_user_who_ran_it(ContainerMode mode)
    {
        using var node = new NodeUnderTest();
        OpenToOthers(node.Folder);
        using var container = new ContainerPython(mode);

        var run = container.Run(node.Daemon.Drop, Report(node.Daemon.Drop));

        Assert.True(run.ExitCode == 0 && run.Stderr.Length == 0, run.StderrText);
        var seen = run.StdoutText.Split(' ', StringSplitOptions.TrimEntries);
        int pid = int.Parse(seen[0], CultureInfo.InvariantCulture);
        // root of its own user namespace, as with --fakeroot: nobody on the host, who owns the record's file
        Assert.Equal(mode == ContainerMode.UserNamespaceWithPid ? "0" : "65534", seen[1]);
        Assert.Equal(["False", "False"], seen[2..]);
        if (mode != ContainerMode.Setuid)
        {
            Assert.Equal(1, pid); // the first process of its PID namespace
        }
        var summary = node.Collector.WaitForProcess(pid);
        Assert.Equal((NobodyUser.Uid, "nobody"), ((uint)summary.Long("uid"), summary.Text("user")));
        Assert.Contains("json", summary.ModuleNames());
        var member = summary.Member(pid);
        Assert.Equal(("exit", false), (member.Text("exit"), member.GetProperty("partial").GetBoolean()));
        // The host's /proc knows the pid only when the container shares the host's PID namespace.
        Assert.Equal(mode == ContainerMode.Setuid, member.GetProperty("pidok").GetBoolean());
    }

    [Theory]
    [InlineData(ContainerMode.Setuid)]
    [InlineData(ContainerMode.SetuidWithPid)]
    [InlineData(ContainerMode.UserNamespaceWithPid)]
    public void A_container_s_process_is_read_while_it_runs_and_recorded_whole_at_its_exit(ContainerMode mode)
    {
        using var node = new NodeUnderTest(_ => new JsonObject { ["liveAfterMs"] = 300 });
        OpenToOthers(node.Folder);
        using var container = new ContainerPython(mode);

        var run = container.Run(node.Daemon.Drop, "import json, os, time; print(os.getpid()); time.sleep(1.5); import csv");

        Assert.True(run.ExitCode == 0, run.StderrText);
        var summary = Ended(node.Collector, int.Parse(run.StdoutText, CultureInfo.InvariantCulture));
        Assert.Contains("csv", summary.ModuleNames());
        Assert.Equal("exit", summary.OnlyMember().Text("exit"));
        // Its file was open for five times liveAfterMs: the daemon found its writer running, and read it meanwhile.
        Assert.Equal(1, node.Daemon.Counters()["live_reads"]);
    }

    [Theory]
    [InlineData(ContainerMode.Setuid)]
    [InlineData(ContainerMode.SetuidWithPid)]
    public void A_daemon_restarted_while_a_container_s_process_runs_waits_for_its_end(ContainerMode mode)
    {
        using var dir = new TempDirectory("polaris-e2e");
        OpenToOthers(dir.Path);
        using var collector = CollectorProcess.Start(dir.Combine("collector"));
        var daemon = AgentDaemon.Start(dir.Path, collector.Url);
        using var container = new ContainerPython(mode);

        using var python = container.Start(daemon.Drop, "import json, os, time; print(os.getpid(), flush=True); time.sleep(3); import csv");
        python.WaitUntil(() => Directory.EnumerateFiles(daemon.Drop, "*.rec").Any(), "its record file");
        daemon.Dispose();
        using var restarted = AgentDaemon.Start(dir.Path, collector.Url);
        Assert.Equal(0, python.WaitForExit());
        // Stored after it ended: whatever else its end would have brought is in by then.
        collector.WaitForProcess(restarted.Run([RepoPaths.Python, "-c", "import csv"]).Pid);

        var summary = Ended(collector, int.Parse(python.Output.Split('\n')[0], CultureInfo.InvariantCulture));
        var member = summary.OnlyMember();
        // What it imported after the restart (csv) and its exit frame are in: its file was not taken in before its end.
        Assert.Equal(("exit", false), (member.Text("exit"), member.GetProperty("partial").GetBoolean()));
        Assert.Contains("csv", summary.ModuleNames());
    }

    [Fact]
    public void Another_user_s_container_whose_first_process_started_the_same_second_does_not_hold_a_record_back()
    {
        using var node = new NodeUnderTest();
        OpenToOthers(node.Folder);
        using var container = new ContainerPython(ContainerMode.SetuidWithPid);
        // root's container: its first process is pid 1 in its namespace too, started within the same seconds, and runs on.
        using var other = ChildProcess.Start("unshare", ["--pid", "--fork", "--kill-child", "--mount-proc", "sleep", "120"]);

        // Its Python ends as a killed one does, with no exit frame: libc's _exit, past the hook's os._exit and atexit.
        var run = container.Run(node.Daemon.Drop, "import ctypes, json, os, time; time.sleep(1); ctypes.CDLL(None)._exit(9)");

        Assert.Equal(9, run.ExitCode);
        var member = Ended(node.Collector, 1).OnlyMember();
        // Taken in once its own writer ended, while the other user's pid 1 still ran.
        Assert.False(other.HasExited);
        Assert.NotEqual("exit", member.Text("exit"));
        Assert.True(member.GetProperty("partial").GetBoolean());
    }

    /// <summary>The newest summary of process <paramref name="pid"/> as ended: what was read of it while it ran
    /// (exit <c>running</c>) is stored before.</summary>
    private static JsonElement Ended(CollectorProcess collector, int pid)
    {
        JsonElement? found = null;
        collector.Process.WaitUntil(() => (found = collector.Summaries().FirstOrDefault(s =>
            s.Members().Any(m => m.Number("pid") == pid && m.Text("exit") != "running"))) is { ValueKind: JsonValueKind.Object },
            $"the end of process {pid}");
        return found!.Value;
    }

    // The user nobody reaches the drop folder through the test's folder.
    private static void OpenToOthers(string folder) => File.SetUnixFileMode(folder,
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
}
