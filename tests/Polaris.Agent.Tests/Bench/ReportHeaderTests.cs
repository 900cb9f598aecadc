using Polaris.Agent.Bench;

namespace Polaris.Agent.Tests.Bench;

public class ReportHeaderTests
{
    [Fact]
    public void The_command_line_is_quoted_so_it_can_be_pasted_back_into_a_shell()
    {
        var line = ReportHeader.CommandLine(["--runs", "3", "--config", "xalt=LD_PRELOAD=/opt/x.so PYTHONPATH=/opt/p", "--command", "echo 'hi'"]);

        Assert.Equal("polaris-agent bench --runs 3 --config 'xalt=LD_PRELOAD=/opt/x.so PYTHONPATH=/opt/p' --command 'echo '\\''hi'\\'''", line);
    }

    [Fact]
    public void The_header_names_machine_interpreter_command_workloads_configurations_and_packages()
    {
        var machine = new MachineFacts(2, "AMD EPYC", "6.1.0", new DateTimeOffset(2025, 6, 1, 12, 30, 0, TimeSpan.Zero));
        var python = new Interpreter("/usr/bin/python3", "3.11.2", [], new HashSet<string>());
        var packages = Enumerable.Range(0, 40).Select(i => "package" + i).ToArray();

        var header = ReportHeader.Format(machine, python, ["--runs", "3"], [Workload.ImportOne(python.Path), Workload.ImportMany(python.Path, packages)],
            [Configuration.Bare, Configuration.Parse("bytecode=PYTHONDONTWRITEBYTECODE=1")], packages);

        var lines = header.TrimEnd('\n').Split('\n');
        Assert.All(lines, l => Assert.StartsWith("#", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.Length <= 130, l));
        Assert.Contains("2025-06-01 12:30 UTC: 2 cores (AMD EPYC), Linux 6.1.0, Python 3.11.2 (/usr/bin/python3)", lines[0], StringComparison.Ordinal);
        Assert.Equal("# command: polaris-agent bench --runs 3", lines[1]);
        Assert.Contains("# workload one: python3 -c 'import numpy'", lines);
        Assert.Contains("# config bytecode: PYTHONDONTWRITEBYTECODE=1", lines);
        var listed = lines.Where(l => l.StartsWith("# many imports: ", StringComparison.Ordinal) || l.StartsWith("#   ", StringComparison.Ordinal))
            .SelectMany(l => l[(l.StartsWith("#   ", StringComparison.Ordinal) ? 4 : 16)..].Split(' '));
        Assert.Equal(packages, listed);
    }
}
