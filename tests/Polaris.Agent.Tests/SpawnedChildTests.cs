using Polaris.Agent.Native;
using Polaris.Testing;

namespace Polaris.Agent.Tests;

public class SpawnedChildTests
{
    private static readonly Dictionary<string, string> Minimal = new() { ["PATH"] = "/usr/bin:/bin" };

    [Fact]
    public void The_exit_status_comes_back_as_a_shell_reports_it()
    {
        Assert.Equal(0, SpawnedChild.Start(["/bin/sh", "-c", "exit 0"], Minimal).WaitForExit());
        Assert.Equal(3, SpawnedChild.Start(["/bin/sh", "-c", "exit 3"], Minimal).WaitForExit());
        Assert.Equal(128 + 9, SpawnedChild.Start(["/bin/sh", "-c", "kill -9 $$"], Minimal).WaitForExit());
    }

    [Fact]
    public void The_child_gets_exactly_the_given_environment_and_writes_to_the_given_files()
    {
        using var dir = new TempDirectory();
        var stdout = dir.Combine("out");
        var stderr = dir.Combine("err");

        var exit = SpawnedChild.Start(["sh", "-c", "echo \"$GREETING\"; echo \"${HOME:-none}\" >&2"],
            new Dictionary<string, string>(Minimal) { ["GREETING"] = "hello" }, stdout: stdout, stderr: stderr).WaitForExit();

        Assert.Equal(0, exit);
        Assert.Equal("hello\n", File.ReadAllText(stdout));
        Assert.Equal("none\n", File.ReadAllText(stderr));
    }

    [Fact]
    public void Signals_the_agent_ignores_are_back_to_their_defaults_in_the_child()
    {
        // .NET ignores SIGPIPE; a shell pipeline in a workload must not inherit that.
        using var dir = new TempDirectory();
        var stdout = dir.Combine("out");

        SpawnedChild.Start(["sh", "-c", "grep SigIgn /proc/self/status"], Minimal, stdout: stdout).WaitForExit();

        var ignored = Convert.ToUInt64(File.ReadAllText(stdout).Split(':')[1].Trim(), 16);
        const int sigpipe = 13;
        Assert.Equal(0UL, ignored & (1UL << (sigpipe - 1)));
    }

    [Fact]
    public void A_child_still_running_is_reported_as_such_and_can_be_killed()
    {
        var child = SpawnedChild.Start(["sleep", "30"], Minimal);

        Assert.Null(child.WaitForExit(TimeSpan.FromMilliseconds(50)));
        Assert.Equal(128 + 9, child.Kill());
        Assert.Equal(128 + 9, child.WaitForExit());
    }

    [Fact]
    public void A_program_that_does_not_exist_cannot_be_started()
    {
        Assert.Throws<IOException>(() => SpawnedChild.Start(["/nonexistent/polaris-no-such-program"], Minimal));
    }
}
