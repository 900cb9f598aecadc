using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>A record arrives however the process ends, and the process ends exactly as it would without the hook.</summary>
public class ExitPathTests
{
    private static string Script(NodeUnderTest node, string name, string body)
    {
        File.WriteAllText(Path.Combine(node.Folder, "probe_" + name + ".py"), "");
        var script = Path.Combine(node.Folder, name + ".py");
        File.WriteAllText(script, $"import probe_{name}\n{body}");
        return script;
    }

    [Theory]
    [InlineData("sigterm", 15)]
    [InlineData("sigkill", 9)]
    public void A_process_killed_by_a_signal_is_recorded_up_to_its_last_import_and_dies_of_that_signal(string name, int signal)
    {
        using var node = new NodeUnderTest();
        var script = Script(node, name, "import yaml\nprint('ready', flush=True)\nimport time\ntime.sleep(120)\n");

        int Kill(ChildProcess process)
        {
            process.WaitUntil(() => process.Output.Contains("ready", StringComparison.Ordinal), "ready");
            if (signal == 15)
            {
                return process.Terminate();
            }
            process.KillHard();
            return 128 + 9;
        }

        using var bare = ChildProcess.Start(RepoPaths.Python, [script]);
        int bareStatus = Kill(bare);
        using var hooked = ChildProcess.Start(AgentBinary.FilePath, ["run", "--drop", node.Daemon.Drop, "--", RepoPaths.Python, script]);
        int hookedStatus = Kill(hooked);

        Assert.Equal(128 + signal, bareStatus);
        Assert.Equal(bareStatus, hookedStatus);
        var record = Assert.Single(node.Collector.WaitForProcesses(1));
        Assert.Contains("probe_" + name, record.Libraries());
        Assert.Contains("yaml", record.Libraries());
        Assert.True(record.OnlyMember().GetProperty("partial").GetBoolean());
        Assert.Equal("lost", record.OnlyMember().Text("exit"));
    }

    [Fact]
    public void A_process_ending_with_os_exit_is_recorded_whole()
    {
        using var node = new NodeUnderTest();
        var script = Script(node, "osexit", "import os, yaml\nos._exit(7)\n");

        var result = node.Daemon.Run([RepoPaths.Python, script]);

        Assert.Equal(7, result.ExitCode);
        var record = Assert.Single(node.Collector.WaitForProcesses(1));
        Assert.Equal("os-exit", record.OnlyMember().Text("exit"));
        Assert.False(record.OnlyMember().GetProperty("partial").GetBoolean());
        Assert.Contains("yaml", record.Libraries());
        Assert.NotEmpty(record.GetProperty("sharedObjects").EnumerateArray());
    }

    [Theory]
    [InlineData("normal", "pass\n", "exit")]
    [InlineData("sysexit", "import sys\nsys.exit(4)\n", "exit")]
    [InlineData("uncaught", "raise SystemError('x')\n", "exit")]
    public void A_process_ending_through_the_interpreter_is_recorded_whole_with_its_shared_objects(string name, string body, string reason)
    {
        using var node = new NodeUnderTest();
        var script = Script(node, name, "import numpy\n" + body);

        node.Daemon.Run([RepoPaths.Python, script]);

        var record = Assert.Single(node.Collector.WaitForProcesses(1));
        Assert.Equal(reason, record.OnlyMember().Text("exit"));
        Assert.False(record.OnlyMember().GetProperty("partial").GetBoolean());
        Assert.Contains("numpy", record.Libraries());
        var objects = record.GetProperty("sharedObjects").EnumerateArray().Select(s => s.GetProperty("path").GetString()!).ToArray();
        Assert.Contains(objects, p => p.Contains("libopenblas", StringComparison.Ordinal) || p.Contains("libblas", StringComparison.Ordinal));
        var numpy = record.Module("numpy");
        Assert.True(numpy.Nanoseconds("cum") > 0);
        Assert.InRange(numpy.Nanoseconds("self"), 1, numpy.Nanoseconds("cum"));
        Assert.False(string.IsNullOrEmpty(numpy.GetProperty("version").GetString()), "numpy's __version__");
        Assert.True(record.OnlyMember().GetProperty("importns") is var importNs && importNs.ValueKind != System.Text.Json.JsonValueKind.Null);
    }
}
