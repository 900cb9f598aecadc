using Polaris.Agent.Bench;
using Polaris.Testing;

namespace Polaris.Agent.Tests.Bench;

public class TimingLoopTests
{
    [Fact]
    public void Configurations_run_interleaved_in_rotating_order_and_warm_up_rounds_are_not_kept()
    {
        using var dir = new TempDirectory();
        var log = dir.Combine("order");
        var bare = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["WHO"] = "bare" };
        var configurations = new[] { Configuration.Bare, Configuration.Parse("x=WHO=x"), Configuration.Parse("y=WHO=y") }
            .Select(c => (c, (IReadOnlyDictionary<string, string>)c.EnvironmentOver(bare))).ToArray();
        var workload = Workload.Shell("cmd1", $"echo $WHO >> {log}");
        var rounds = new List<int>();

        var timings = new TimingLoop([workload], configurations).Run(warmup: 1, runs: 2, (round, total) => rounds.Add(round * 10 + total));

        Assert.Equal(["bare", "x", "y", "x", "y", "bare", "y", "bare", "x"], File.ReadAllLines(log));
        Assert.Equal([13, 23, 33], rounds);
        Assert.Equal(6, timings.Count);
        Assert.Equal(["x", "y", "bare", "y", "bare", "x"], timings.Select(t => t.Configuration));
        Assert.Equal([0, 0, 0, 1, 1, 1], timings.Select(t => t.Round));
        Assert.All(timings, t => Assert.True(t.Succeeded && t.Milliseconds > 0));
    }

    [Fact]
    public void A_failing_or_missing_program_is_recorded_with_its_exit_status_not_thrown()
    {
        var bare = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" };
        var configurations = new[] { (Configuration.Bare, (IReadOnlyDictionary<string, string>)bare) };
        var missing = new Workload("missing", ["/nonexistent/polaris-no-such-program"], "");

        var timings = new TimingLoop([Workload.Shell("cmd1", "exit 3"), missing], configurations).Run(0, 2, (_, _) => { });

        Assert.Equal([3, TimingLoop.NotStarted, 3, TimingLoop.NotStarted], timings.Select(t => t.ExitCode));
    }
}
