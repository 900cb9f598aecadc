using System.Text.Json.Nodes;
using Polaris.Testing;
using Polaris.Wire;
using Xunit.Abstractions;

namespace Polaris.EndToEnd.Tests;

/// <summary>A process that imports and then runs for hours is shipped while it runs, within the summary window of its
/// imports, and again at its end under the same summary id: the real AOT daemon, Debian's Python and numpy, and a
/// stand-in collector that decodes every batch (issue 11).</summary>
public class LiveSummaryTests(ITestOutputHelper output)
{
    private const int WindowMs = 2000;

    private static JsonObject Settings(string folder, int windowMs = WindowMs) => new()
    {
        ["summaryWindowMs"] = windowMs,
        ["summaryQuietMs"] = 200,
        ["liveAfterMs"] = 500,
        ["homeRoots"] = new JsonArray(Path.Combine(folder, "home")),
    };

    /// <summary>A package in a folder that stands for a home directory, and a script that imports it and numpy, says it
    /// is ready, waits for a file to appear, then imports one module more and ends.</summary>
    private static string Script(string folder)
    {
        var lib = Directory.CreateDirectory(Path.Combine(folder, "home", "asmith", "lib")).FullName;
        PythonPackage.Create(lib, "homepkg", "0.1");
        var script = Path.Combine(folder, "train.py");
        File.WriteAllText(script,
            $"import os, sys, time\nsys.path.insert(0, {Quoted(lib)})\nimport homepkg, numpy\nprint('ready', flush=True)\n" +
            "while not os.path.exists(sys.argv[1]):\n    time.sleep(0.05)\nimport decimal\n");
        return script;
    }

    private static string Quoted(string path) => "'" + path.Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static ChildProcess Start(AgentDaemon daemon, string script, string stop, string jobId) =>
        ChildProcess.Start(AgentBinary.FilePath, ["run", "--drop", daemon.Drop, "--", RepoPaths.Python, script, stop],
            new Dictionary<string, string> { ["PBS_JOBID"] = jobId });

    private static void WaitReady(ChildProcess process) =>
        process.WaitUntil(() => process.Output.Contains("ready", StringComparison.Ordinal), "ready");

    private static string[] Names(ProcessSummary s) => s.Modules.Select(m => m.Name).ToArray();

    [Fact]
    public void A_process_that_imports_and_sleeps_is_shipped_within_the_window_and_again_at_its_end_under_the_same_id()
    {
        using var dir = new TempDirectory("polaris-e2e");
        using var collector = new SummaryCapture();
        using var daemon = AgentDaemon.Start(dir.Path, collector.Url, Settings(dir.Path));
        var stop = dir.Combine("stop");
        var started = collector.Now;
        using var python = Start(daemon, Script(dir.Path), stop, "11.pbs");
        WaitReady(python);
        var ready = collector.Now;

        // The first version: what the file held liveAfterMs after its first frame (numpy may still be importing then).
        var (firstAt, first) = collector.WaitFor(s => s.Members.Any(m => m.Pid == python.Pid), "the first live version", TimeSpan.FromSeconds(30));
        // What the process imported before it slept: read again once its file grew, a window after the first read.
        var (at, provisional) = collector.WaitFor(s => s.SummaryId == first.SummaryId && Names(s).Contains("numpy"), "a live version with numpy", TimeSpan.FromSeconds(30));
        output.WriteLine($"first live version {(firstAt - started).TotalMilliseconds:F0} ms after the process started; " +
            $"the one with all its imports {(at - ready).TotalMilliseconds:F0} ms after it said it was ready (version {provisional.Version})");
        Assert.False(python.HasExited, "shipped while it runs");
        File.WriteAllText(stop, "");
        Assert.Equal(0, python.WaitForExit());
        var (_, final) = collector.WaitFor(s => s.SummaryId == provisional.SummaryId && s.Final, "the last version");

        Assert.True(firstAt - started < TimeSpan.FromMilliseconds(WindowMs + 1000), $"{(firstAt - started).TotalMilliseconds} ms after the process started");
        Assert.True(at - ready < TimeSpan.FromMilliseconds(2 * WindowMs), $"{(at - ready).TotalMilliseconds} ms after its imports");
        Assert.NotNull(first.SummaryId);
        Assert.Equal((1u, false), (first.Version, first.Final));
        Assert.False(provisional.Final);
        var running = Assert.Single(provisional.Members);
        Assert.Equal((ExitReasons.Running, true), (running.ExitReason, running.Partial));
        Assert.True(running.EndedAtMs > running.StartedAtMs && running.RuntimeNs > 0, "end and run time as of the read");
        Assert.Equal(Origin.Home, provisional.Modules.Single(m => m.Name == "homepkg").Origin);
        Assert.DoesNotContain("decimal", Names(provisional));

        Assert.True(final.Version > provisional.Version, $"version {final.Version} after {provisional.Version}");
        var ended = Assert.Single(final.Members);
        Assert.Equal((python.Pid, ExitReasons.Exit, false), (ended.Pid, ended.ExitReason, ended.Partial));
        Assert.Contains("decimal", Names(final));
        Assert.Superset(Names(provisional).ToHashSet(), Names(final).ToHashSet());
        Assert.NotEmpty(final.SharedObjects);
        Assert.All(collector.Of(python.Pid), r => Assert.Equal(first.SummaryId, r.Summary.SummaryId));
        Assert.Single(collector.Of(python.Pid), r => r.Summary.Final);
        Assert.Empty(collector.Refused);
        daemon.Process.WaitUntil(() => !Directory.EnumerateFileSystemEntries(daemon.Drop).Any(), "the drop folder emptied");
    }

    [Fact]
    public void The_ranks_of_a_job_that_run_long_make_one_summary_whose_last_version_counts_what_the_same_job_ended_at_once_gives()
    {
        using var dir = new TempDirectory("polaris-e2e");
        using var collector = new SummaryCapture();
        // A longer window: four interpreters starting numpy on two loaded cores are read within it; the default quiet
        // time, so that processes of a job ending at once make one summary however loaded the machine (as MpiTests).
        var settings = Settings(dir.Path, windowMs: 5000);
        settings["summaryQuietMs"] = 2000;
        using var daemon = AgentDaemon.Start(dir.Path, collector.Url, settings);
        var script = Script(dir.Path);
        var stop = dir.Combine("stop");
        var done = dir.Combine("done");
        File.WriteAllText(done, "");

        var ranks = Enumerable.Range(0, 4).Select(_ => Start(daemon, script, stop, "12.pbs")).ToArray();
        try
        {
            Array.ForEach(ranks, WaitReady);
            var pids = ranks.Select(r => r.Pid).ToHashSet();
            var (_, provisional) = collector.WaitFor(s => !s.Final && s.Members.Count(m => pids.Contains(m.Pid)) == 4, "a live version of the four ranks");
            File.WriteAllText(stop, "");
            Assert.All(ranks, r => Assert.Equal(0, r.WaitForExit()));
            var (_, final) = collector.WaitFor(s => s.SummaryId == provisional.SummaryId && s.Final, "the last version");

            var atOnce = Enumerable.Range(0, 4).Select(_ => Start(daemon, script, done, "13.pbs")).ToArray();
            Assert.All(atOnce, r => Assert.Equal(0, r.WaitForExit()));
            var controlPids = atOnce.Select(r => r.Pid).ToHashSet();
            // Its processes end within a second, which on a loaded machine may be past liveAfterMs: its last version counts.
            var (_, control) = collector.WaitFor(s => s.Final && s.Members.Count(m => controlPids.Contains(m.Pid)) == 4, "the job that ended at once");
            Array.ForEach(atOnce, r => r.Dispose());

            Assert.Equal(4, final.Processes);
            Assert.All(final.Members, m => Assert.Equal((ExitReasons.Exit, false), (m.ExitReason, m.Partial)));
            Assert.Equal(control.Modules.Count, final.Modules.Count);
            Assert.Equal(control.Modules.Select(m => (m.Name, m.Processes)).Order(), final.Modules.Select(m => (m.Name, m.Processes)).Order());
            Assert.Equal(control.Modules.Select(m => (m.Name, m.SelfNs.Count)).Order(), final.Modules.Select(m => (m.Name, m.SelfNs.Count)).Order());
            Assert.Equal(control.SharedObjects.Select(o => (o.Path, o.Processes)).Order(), final.SharedObjects.Select(o => (o.Path, o.Processes)).Order());
            // One summary id for every version that names a rank; one last version.
            var versions = collector.Received.Where(r => r.Summary.Members.Any(m => pids.Contains(m.Pid))).Select(r => r.Summary).ToArray();
            Assert.Equal([provisional.SummaryId], versions.Select(s => s.SummaryId).Distinct());
            Assert.Single(versions, s => s.Final);
            Assert.Equal(versions.Select(s => s.Version).Order(), versions.Select(s => s.Version));
            Assert.Empty(collector.Refused);
        }
        finally
        {
            Array.ForEach(ranks, r => r.Dispose());
        }
    }

    [Fact]
    public void A_process_killed_after_its_live_version_was_shipped_ends_lost_in_the_last_version()
    {
        using var dir = new TempDirectory("polaris-e2e");
        using var collector = new SummaryCapture();
        using var daemon = AgentDaemon.Start(dir.Path, collector.Url, Settings(dir.Path));
        using var python = Start(daemon, Script(dir.Path), dir.Combine("never"), "14.pbs");
        WaitReady(python);
        var (_, provisional) = collector.WaitFor(s => s.Members.Any(m => m.Pid == python.Pid), "the live version");

        python.Signal(9);
        Assert.Equal(128 + 9, python.WaitForExit());
        var (_, final) = collector.WaitFor(s => s.SummaryId == provisional.SummaryId && s.Final, "the last version");

        var member = Assert.Single(final.Members);
        Assert.Equal((ExitReasons.Lost, true), (member.ExitReason, member.Partial));
        Assert.True(final.Version > provisional.Version);
        Assert.Contains("homepkg", Names(final));
        Assert.Empty(collector.Refused);
    }

    [Fact]
    public void A_daemon_killed_and_restarted_while_a_process_runs_goes_on_with_its_live_summary_and_counts_it_once()
    {
        using var dir = new TempDirectory("polaris-e2e");
        using var collector = new SummaryCapture();
        var stop = dir.Combine("stop");
        var daemon = AgentDaemon.Start(dir.Path, collector.Url, Settings(dir.Path));
        using var python = Start(daemon, Script(dir.Path), stop, "15.pbs");
        WaitReady(python);
        var (_, provisional) = collector.WaitFor(s => s.Members.Any(m => m.Pid == python.Pid), "the live version");
        daemon.Process.KillHard();
        daemon.Dispose();

        using var restarted = AgentDaemon.Start(dir.Path, collector.Url, Settings(dir.Path));
        var (_, again) = collector.WaitFor(s => s.SummaryId == provisional.SummaryId && s.Version > provisional.Version, "a version after the restart");
        File.WriteAllText(stop, "");
        Assert.Equal(0, python.WaitForExit());
        var (_, final) = collector.WaitFor(s => s.SummaryId == provisional.SummaryId && s.Final, "the last version");

        Assert.Equal(ExitReasons.Running, Assert.Single(again.Members).ExitReason);
        Assert.Equal(ExitReasons.Exit, Assert.Single(final.Members).ExitReason);
        var versions = collector.Keyed.Where(k => k.Summary.Members.Any(m => m.Pid == python.Pid)).ToArray();
        Assert.All(versions, v => Assert.Equal(provisional.SummaryId, v.Summary.SummaryId));
        // The killed daemon may not have recorded the acknowledgement of its last batch: posted again, under its key.
        Assert.All(versions.GroupBy(v => v.Summary.Version), v => Assert.Single(v.Select(k => k.Key).Distinct()));
        Assert.Equal(versions.Select(v => v.Summary.Version).Order(), versions.Select(v => v.Summary.Version));
        Assert.Single(versions.Where(v => v.Summary.Final).Select(v => v.Key).Distinct());
        Assert.Empty(Directory.EnumerateFiles(restarted.Spool, "*.live"));
    }
}
