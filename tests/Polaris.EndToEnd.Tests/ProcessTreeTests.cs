using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>Forked children, multiprocessing workers and threads are each recorded correctly.</summary>
public class ProcessTreeTests
{
    [Fact]
    public void A_forked_child_reports_its_own_imports_only_and_names_its_parent()
    {
        using var node = new NodeUnderTest();
        var script = Path.Combine(node.Folder, "fork.py");
        File.WriteAllText(script, "import os, sys, numpy\npid = os.fork()\nif pid == 0:\n    import yaml\n    sys.exit(0)\nos.waitpid(pid, 0)\n");

        Assert.Equal(0, node.Daemon.Run([RepoPaths.Python, script]).ExitCode);

        // Parent and child run the same script as the same user: one summary of two members, or two when the
        // parent ended more than the quiet time after its child. Either way each module names who imported it.
        var summaries = node.Collector.WaitForProcesses(2);
        var members = summaries.SelectMany(s => s.Members().Select((m, i) => (Summary: s, Member: m, Index: i))).ToArray();
        Assert.Equal(2, members.Length);
        var parent = members.Single(m => m.Member.Number("ppid") == 0);
        var child = members.Single(m => m.Member.Number("ppid") != 0);
        Assert.Equal(parent.Member.Number("pid"), child.Member.Number("ppid"));
        Assert.Contains("numpy", parent.Summary.ModulesOf(parent.Index));
        Assert.DoesNotContain("yaml", parent.Summary.ModulesOf(parent.Index));
        Assert.Contains("yaml", child.Summary.ModulesOf(child.Index));
        Assert.DoesNotContain("numpy", child.Summary.ModulesOf(child.Index));
    }

    [Theory]
    [InlineData("fork")]
    [InlineData("spawn")]
    [InlineData("forkserver")]
    public void Each_multiprocessing_worker_produces_one_record(string method)
    {
        using var node = new NodeUnderTest();
        var probe = "probe_worker_" + method;
        File.WriteAllText(Path.Combine(node.Folder, probe + ".py"), "");
        var script = Path.Combine(node.Folder, "workers.py");
        File.WriteAllText(script, $$"""
            import multiprocessing as mp, sys

            def work():
                import {{probe}}

            if __name__ == "__main__":
                ctx = mp.get_context("{{method}}")
                workers = [ctx.Process(target=work) for _ in range(3)]
                for w in workers:
                    w.start()
                for w in workers:
                    w.join()
                sys.exit(sum(w.exitcode for w in workers))
            """);

        var run = node.Daemon.Run([RepoPaths.Python, script], workingDirectory: node.Folder);

        Assert.Equal(0, run.ExitCode);
        // The workers run another script than their parent (spawn and forkserver start them with -c), so their
        // summary is not the parent's and may be read, closed and shipped before or after it: wait for both.
        var series = $"polaris_library_processes_total{{library=\"{probe}\"}}";
        node.Collector.WaitForMetric(series, 3);
        node.Collector.WaitForProcess(run.Pid);
        Assert.Equal(3, node.Collector.Metric(series));
    }

    [Fact]
    public void Imports_from_several_threads_at_once_are_timed_per_thread()
    {
        using var node = new NodeUnderTest();
        for (int i = 0; i < 4; i++)
        {
            File.WriteAllText(Path.Combine(node.Folder, $"probe_thread_{i}.py"), $"import time\ntime.sleep(0.02)\nimport probe_thread_{i}_child\n");
            File.WriteAllText(Path.Combine(node.Folder, $"probe_thread_{i}_child.py"), "import time\ntime.sleep(0.1)\n");
        }
        var script = Path.Combine(node.Folder, "threads.py");
        File.WriteAllText(script, """
            import threading
            barrier = threading.Barrier(4)
            def go(i):
                barrier.wait()
                __import__("probe_thread_%d" % i)
            threads = [threading.Thread(target=go, args=(i,)) for i in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            """);

        Assert.Equal(0, node.Daemon.Run([RepoPaths.Python, script]).ExitCode);

        var record = Assert.Single(node.Collector.WaitForProcesses(1));
        for (int i = 0; i < 4; i++)
        {
            var parent = record.Module($"probe_thread_{i}");
            var child = record.Module($"probe_thread_{i}_child");
            Assert.InRange(child.Nanoseconds("cum"), 100_000_000, long.MaxValue);
            Assert.InRange(parent.Nanoseconds("cum"), child.Nanoseconds("cum") + 20_000_000, long.MaxValue);
            // Self time is the parent's own (its 20 ms sleep): its child's time is taken out, and no other
            // thread's import, though all four ran at once.
            Assert.Equal(parent.Nanoseconds("cum") - child.Nanoseconds("cum"), parent.Nanoseconds("self"));
            Assert.InRange(parent.Nanoseconds("self"), 20_000_000, long.MaxValue);
        }
    }
}
