using Polaris.Agent.Serve.Receive;
using Polaris.Wire;
using static Polaris.Agent.Tests.HookFile;

namespace Polaris.Agent.Tests;

/// <summary><c>running</c> is the daemon's word for a record read while its process ran: an exit frame that says it is
/// forged, and reads as <c>lost</c>, so that no ended process passes for one still running.</summary>
public class ForgedRunningExitTests
{
    [Fact]
    public void An_exit_frame_that_says_running_reads_as_lost()
    {
        var content = File(Frame(["py", "3.11.2", .. Group("m", [("sys", "built-in", "")]), "end", "1764000000250000000", "exit", "running"]));

        var parsed = HookFrames.Parse(content, new RecordFileName(4242, 1_764_000_000_000_000_000), 1001, "asmith", "node01");

        Assert.Equal(ExitReasons.Lost, parsed.Record.ExitReason);
    }
}
