using System.Globalization;
using System.Text.RegularExpressions;
using Polaris.Testing;

namespace Polaris.EndToEnd.Tests;

/// <summary>The real AOT <c>polaris-agent bench</c>: its table's shape and its exit status, never its timings (this machine is shared).</summary>
public partial class BenchTests
{
    [Fact]
    public void Bench_times_bare_agent_and_a_user_configuration_and_prints_a_row_for_each()
    {
        var result = CommandResult.Run(AgentBinary.FilePath,
            ["bench", "--runs", "3", "--warmup", "0", "--workload", "one", "--config", "bytecode=PYTHONDONTWRITEBYTECODE=1"]);

        Assert.True(result.ExitCode == 0, result.StdoutText + result.StderrText);
        var rows = Rows(result.StdoutText);
        Assert.Equal(["bare", "agent", "bytecode"], rows.Select(r => r[1]));
        foreach (var row in rows)
        {
            Assert.Equal("one", row[0]);
            Assert.Equal("3", row[2]);
            Assert.Equal("0", row[3]);
            Assert.All(row[4..7], cell => Assert.True(double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _), cell));
        }
        Assert.Equal(["-", "-"], rows[0][7..]);
        foreach (var row in rows.Skip(1))
        {
            Assert.Matches(@"^[+-]\d+\.\d$", row[7]);
            Assert.Matches(@"^[+-]\d+\.\d%$", row[8]);
        }
        Assert.Contains("# command: polaris-agent bench --runs 3 --warmup 0 --workload one --config bytecode=PYTHONDONTWRITEBYTECODE=1", result.StdoutText, StringComparison.Ordinal);
        // The agent configuration measured a hook that really delivered to a daemon of bench's own.
        Assert.Contains("# agent: the daemon received 3 records from 3 runs under agent", result.StdoutText, StringComparison.Ordinal);
        AssertDaemonGone(result.StdoutText);
    }

    [Fact]
    public void A_workload_that_fails_in_every_run_is_reported_and_makes_bench_exit_non_zero()
    {
        var result = CommandResult.Run(AgentBinary.FilePath, ["bench", "--runs", "2", "--warmup", "0", "--command", "exit 3"]);

        Assert.NotEqual(0, result.ExitCode);
        var rows = Rows(result.StdoutText);
        Assert.Equal(["bare", "agent"], rows.Select(r => r[1]));
        Assert.All(rows, row => Assert.Equal(["cmd1", row[1], "2", "2", "-", "-", "-", "-", "-"], row));
        Assert.Contains("workload cmd1 failed in every run", result.StderrText, StringComparison.Ordinal);
        AssertDaemonGone(result.StdoutText);
    }

    [Fact]
    public void A_bad_option_is_a_usage_error()
    {
        var result = CommandResult.Run(AgentBinary.FilePath, ["bench", "--runs", "0"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--runs", result.StderrText, StringComparison.Ordinal);
    }

    /// <summary>The table's data rows, split into cells (no cell holds a blank).</summary>
    private static string[][] Rows(string output)
    {
        var lines = output.Split('\n');
        var heading = Array.FindIndex(lines, l => l.StartsWith("workload  config", StringComparison.Ordinal));
        Assert.True(heading >= 0, output);
        return lines.Skip(heading + 1)
            .TakeWhile(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToArray();
    }

    /// <summary>Bench stopped the daemon it started and removed its scratch folder.</summary>
    private static void AssertDaemonGone(string output)
    {
        var drop = AgentDrop().Match(output).Groups[1].Value;
        Assert.NotEmpty(drop);
        Assert.False(Directory.Exists(Path.GetDirectoryName(drop)), drop);
        foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => char.IsAsciiDigit(Path.GetFileName(d)[0])))
        {
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(process, "cmdline"));
            }
            catch (IOException)
            {
                continue;
            }
            Assert.DoesNotContain(drop, commandLine, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"POLARIS_AGENT_DROP=(\S+)")]
    private static partial Regex AgentDrop();
}
