using Polaris.Wire;
using System.Text;
using Polaris.Collector.Import;
using static Polaris.Collector.Tests.Import.XaltRecords;

namespace Polaris.Collector.Tests.Import;

/// <summary>What each reader takes, joins, keeps and skips, record by record.</summary>
public class ImportReaderTests
{
    private static (List<ImportedProcess>, ImportTally) Xalt(params (string Name, string Json)[] files) => Xalt(new XaltReader(new ImportTally()), files);

    private static (List<ImportedProcess>, ImportTally) Xalt(XaltReader reader, (string Name, string Json)[] files)
    {
        var tally = (ImportTally)typeof(XaltReader).GetField("_tally", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(reader)!;
        return (reader.Read(files.Select(f => ImportFixtures.Entry(f.Name, Encoding.UTF8.GetBytes(f.Json)))).ToList(), tally);
    }

    [Fact]
    public void A_pkg_record_joins_its_run_by_uuid_whether_it_comes_before_or_after()
    {
        var (before, _) = Xalt(("pkg.a.json", Pkg("numpy")), ("run.b.json", Run()), ("pkg.c.json", Pkg("scipy")));
        var (after, _) = Xalt(("run.b.json", Run()), ("pkg.c.json", Pkg("scipy")), ("pkg.a.json", Pkg("numpy")));

        var process = Assert.Single(before);
        Assert.Equal(ImportFixtures.Describe(process), ImportFixtures.Describe(Assert.Single(after)));
        Assert.Equal(["numpy", "scipy"], process.Modules.Select(m => m.Name));
        Assert.All(process.Modules, m => Assert.Equal("", m.Version));
        Assert.Equal((Uuid, "asmith", "1234501", "MatSciProj", "prod", "debvm", 2, 0), (process.Identity, process.User, process.JobId, process.Account, process.Queue, process.Host, process.NodeCount, process.Rank));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 14, 35, 38, 78, TimeSpan.Zero).AddTicks(3000), process.Start);
        Assert.Equal(["/usr/lib/libz.so.1"], process.SharedObjects.Select(s => s.Path));
        Assert.Equal(2, process.Clips.SharedObjects);
        Assert.Equal(new Dictionary<string, string> { ["PMI_RANK"] = "0" }, process.Variables);
    }

    [Fact]
    public void Pkg_records_without_a_run_or_of_another_program_are_counted_and_a_non_python_run_without_pkgs_skipped()
    {
        var (processes, tally) = Xalt(
            ("pkg.1.json", Pkg("numpy", uuid: "no-such-run")), ("pkg.2.json", Pkg("base", program: "R")),
            ("run.3.json", Run(uuid: "gcc-run", exec: "/usr/bin/gcc")), ("run.4.json", Run(uuid: "quiet-python")),
            ("run.5.json", Run(uuid: "embedded", exec: "/opt/app/bin/solver")), ("pkg.6.json", Pkg("numpy", uuid: "embedded")));

        Assert.Equal(["quiet-python", "embedded"], processes.Select(p => p.Identity));
        Assert.Equal(1, tally.Skipped["pkg record without its run record"]);
        Assert.Equal(1, tally.Skipped["pkg record of a program other than python"]);
        Assert.Equal(1, tally.Skipped["run of a program that is not Python"]);
        Assert.Equal(6, tally.Records);
        Assert.Equal(2, tally.Kept);
    }

    [Fact]
    public void An_end_record_supersedes_the_start_record_of_its_run_in_either_order()
    {
        var start = Run(end: 0, envT: "{}");
        var end = Run();
        foreach (var order in new[] { new[] { start, end }, [end, start] })
        {
            var (processes, tally) = Xalt(("run.aaa.json", order[0]), ("run.zzz.json", order[1]));

            Assert.Equal("0", Assert.Single(processes).Variables["PMI_RANK"]);
            Assert.Equal(1, tally.Skipped["run start record superseded by its end record"]);
        }
    }

    [Fact]
    public void Past_the_budget_of_waiting_bytes_the_oldest_run_is_given_and_its_late_pkgs_counted()
    {
        var measure = new XaltReader(new ImportTally());
        Xalt(measure, [("run.1.json", Run(uuid: "one"))]);
        long oneRun = measure.PeakPendingBytes;
        // Room for one run and its package, not for two runs.
        var reader = new XaltReader(new ImportTally(), maxPendingBytes: oneRun * 3 / 2);

        var (processes, tally) = Xalt(reader, [("run.1.json", Run(uuid: "one")), ("run.2.json", Run(uuid: "two")), ("pkg.3.json", Pkg("numpy", uuid: "one")), ("pkg.4.json", Pkg("numpy", uuid: "two"))]);

        Assert.InRange(oneRun, 500, 4000);
        Assert.Equal(["one", "two"], processes.Select(p => p.Identity));
        Assert.Empty(processes[0].Modules);
        Assert.Equal("numpy", Assert.Single(processes[1].Modules).Name);
        Assert.Equal(1, tally.Skipped["pkg record after its run was given (runs waiting past their bounds)"]);
        Assert.Equal(["run.1.json"], tally.ExamplesOf(XaltReader.GivenEarly));
        Assert.InRange(reader.PeakPendingBytes, oneRun, oneRun * 2 + 1000);
    }

    [Fact]
    public void Past_the_bound_of_waiting_runs_the_oldest_is_given_whatever_their_bytes()
    {
        var reader = new XaltReader(new ImportTally(), maxPendingBytes: 1L << 30, maxPendingRuns: 1);

        var (processes, tally) = Xalt(reader, [("run.1.json", Run(uuid: "one")), ("run.2.json", Run(uuid: "two")), ("pkg.3.json", Pkg("numpy", uuid: "one")), ("pkg.4.json", Pkg("numpy", uuid: "two"))]);

        Assert.Equal(["one", "two"], processes.Select(p => p.Identity));
        Assert.Empty(processes[0].Modules);
        Assert.Equal("numpy", Assert.Single(processes[1].Modules).Name);
        Assert.Equal(1, tally.Skipped["pkg record after its run was given (runs waiting past their bounds)"]);
        Assert.False(tally.Noted.ContainsKey(XaltReader.GivenEarly));
    }

    [Fact]
    public void The_fixture_read_with_a_small_budget_gives_the_same_runs_as_its_tree_is_read_a_folder_at_a_time()
    {
        var tally = new ImportTally();
        var reader = new XaltReader(tally, maxPendingBytes: 64 * 1024);
        var bounded = reader.Read(new ImportInputs(tally).Walk([ImportFixtures.XaltArchive])).ToList();

        Assert.Equal(ImportFixtures.DescribeAll(ImportFixtures.Xalt(ImportFixtures.XaltArchive).Processes), ImportFixtures.DescribeAll(bounded));
        Assert.Empty(tally.Skipped);
        Assert.True(tally.Noted.GetValueOrDefault(XaltReader.GivenEarly) >= 10, "the budget gave runs before the end");
        Assert.InRange(reader.PeakPendingBytes, 64 * 1024, 128 * 1024);
    }

    [Fact]
    public void PyModuleSnooper_keeps_only_allowlisted_variables_and_reads_user_job_rank_and_versions()
    {
        var (fixture, _) = ImportFixtures.Pms(ImportFixtures.PmsArchive);
        Assert.All(fixture, p => Assert.All(p.Variables.Keys, name => Assert.True(AllowedVariables.Contains(name), name)));
        Assert.All(fixture, p => Assert.DoesNotContain(p.Variables.Keys, k => k is "PBS_O_MAIL" or "HOME" or "PATH" or "USER" or "LOGNAME" or "PWD" or "PBS_O_WORKDIR" or "SHELL"));
        Assert.Equal([0, 1, 2, 3], fixture.Where(p => p.Rank >= 0).Select(p => p.Rank).Order());

        var env = new Dictionary<string, string>
        {
            ["PBS_JOBID"] = "9.pbs", ["PBS_ACCOUNT"] = "Acct", ["PBS_QUEUE"] = "debug", ["PALS_RANKID"] = "5", ["PMI_RANK"] = "4",
            ["USER"] = "su-target", ["LOGNAME"] = "owner", ["HOME"] = "/home/owner", ["PBS_O_MAIL"] = "/var/mail/owner", ["PWD"] = "/lus/x",
        };
        var tally = new ImportTally();
        var process = Assert.Single(new PyModuleSnooperReader(tally, TimeZoneInfo.Utc).Read([ImportFixtures.Entry("vm.1.x", Encoding.UTF8.GetBytes(PmsLines.Line(env: env)))]));

        Assert.Equal(("owner", "9.pbs", "Acct", "debug", 5, "/lus/x"), (process.User, process.JobId, process.Account, process.Queue, process.Rank, process.WorkingDirectory));
        Assert.Equal(["PALS_RANKID", "PBS_ACCOUNT", "PBS_JOBID", "PBS_QUEUE", "PMI_RANK"], process.Variables.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([("numpy", "1.24.2"), ("os", "")], process.Modules.Select(m => (m.Name, m.Version)));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 14, 35, 45, TimeSpan.Zero).AddTicks(5_196_570), process.Start);
        Assert.Equal(RecordSource.PyModuleSnooper, process.Source);
    }

    [Fact]
    public void Bad_pms_lines_are_skipped_with_their_line_and_their_neighbours_read()
    {
        var lines = new[]
        {
            PmsLines.Line(pid: 1),
            PmsLines.Line(pid: 2)[..100],
            "garbage {",
            """{"timestamp": 5, "hostname": "vm", "pid": 3, "modules": {}}""",
            """{"timestamp": "11-25-2026 14:35:45.519657", "hostname": ["vm"], "pid": 4, "modules": {}}""",
            """{"timestamp": "11-25-2026 14:35:45.519657", "hostname": "vm", "pid": "5", "modules": {}}""",
            """{"timestamp": "11-25-2026 14:35:45.519657", "hostname": "vm", "pid": 6, "modules": [], "env": 7}""",
            """{"timestamp": "11-25-1899 14:35:45.519657", "hostname": "vm", "pid": 7, "modules": {}}""",
            """{"timestamp": "11-25-2026 14:35:45.519657", "hostname": "vm", "pid": 8, "modules": {"a": 1, "b": null}, "env": {"PBS_JOBID": 12, "USER": "u"}, "versions": 3}""",
            """{"timestamp": "11-25-2026 14:35:45.519657", "hostname": "vm", "pid": 10, "modules": {"\ud800": "x"}}""",
            "[1, 2]",
            "",
            PmsLines.Line(pid: 9),
        };
        var tally = new ImportTally();

        var processes = new PyModuleSnooperReader(tally, TimeZoneInfo.Utc).Read([ImportFixtures.Entry("pms/vm.log", Encoding.UTF8.GetBytes(string.Join('\n', lines)))]).ToList();

        Assert.Equal([1, 8, 9], processes.Select(p => int.Parse(p.Identity.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture)));
        var odd = processes[1];
        Assert.Equal(("u", ""), (odd.User, odd.JobId));
        Assert.Equal(["b"], odd.Modules.Select(m => m.Name));
        Assert.True(odd.Clips.Modules >= 1);
        Assert.Equal(12, tally.Records);
        Assert.Equal(["pms/vm.log:10"], tally.ExamplesOf("not a JSON record (a name that is no text)"));
        Assert.Equal(["pms/vm.log:2", "pms/vm.log:3"], tally.ExamplesOf("not a JSON record (malformed or cut short)"));
        Assert.Equal(9, tally.SkippedTotal);
    }

    [Fact]
    public void A_line_past_the_bound_is_skipped_and_costs_a_bounded_buffer()
    {
        var huge = "{\"x\": \"" + new string('a', PyModuleSnooperReader.MaxLineBytes + 10) + "\"}";
        var bytes = Encoding.UTF8.GetBytes(PmsLines.Line(pid: 1) + "\n" + huge + "\n" + PmsLines.Line(pid: 2) + "\n");
        var tally = new ImportTally();

        var processes = new PyModuleSnooperReader(tally, TimeZoneInfo.Utc).Read([ImportFixtures.Entry("big", bytes)]).ToList();

        Assert.Equal(2, processes.Count);
        Assert.Equal(["big:2"], tally.ExamplesOf($"line longer than {PyModuleSnooperReader.MaxLineBytes} bytes"));
    }

    [Fact]
    public void Wrong_types_in_xalt_records_are_skipped_with_reasons()
    {
        var (processes, tally) = Xalt(
            ("run.1.json", """{"userT": {"run_uuid": 5, "exec_path": "/usr/bin/python3"}, "userDT": {"start_time": 1795617338}}"""),
            ("run.2.json", """{"userT": {"run_uuid": "u2", "exec_path": "/usr/bin/python3"}, "userDT": {"start_time": "soon"}}"""),
            ("run.3.json", """{"userT": {"run_uuid": "u3", "exec_path": "/usr/bin/python3", "user": ["x"]}, "userDT": {"start_time": 1795617338, "num_nodes": -4}, "libA": "no", "envT": [1]}"""),
            ("pkg.4.json", """{"xalt_run_uuid": "u3", "program": "python", "package_name": 5}"""),
            ("pkg.5.json", """{"xalt_run_uuid": "u3", "program": "python", "package_name": "numpy", "package_path": 5}"""),
            ("run.6.json", """{"userT": "x"}"""),
            ("run.7.json", "{\"userT\": {"),
            ("notes.txt", "hello"));

        var process = Assert.Single(processes);
        Assert.Equal(("u3", "", 0), (process.Identity, process.User, process.NodeCount));
        Assert.Equal(("numpy", ""), (process.Modules[0].Name, process.Modules[0].File));
        Assert.Equal(1, tally.Skipped["run record without a run uuid"]);
        Assert.Equal(1, tally.Skipped["run record without a start time in 2000 to 2100"]);
        Assert.Equal(1, tally.Skipped["pkg record without a package name"]);
        Assert.Equal(1, tally.Skipped["not an XALT run or pkg record"]);
        Assert.Equal(1, tally.Skipped["not a JSON record (malformed or cut short)"]);
        Assert.Equal(1, tally.Skipped["not a .json file"]);
    }

    [Fact]
    public void The_allowlist_is_the_hooks()
    {
        var hook = File.ReadAllText(Path.Combine(Polaris.Testing.RepoPaths.Root, "agent", "Polaris.Agent", "Hook", "sitecustomize.py"));

        Assert.Equal(30, AllowedVariables.Names.Count);
        Assert.All(AllowedVariables.Names, name => Assert.Contains(name, hook, StringComparison.Ordinal));
        Assert.Contains("PBS_JOBID", AllowedVariables.Names);
        Assert.Contains("PALS_RANKID", AllowedVariables.Names);
        Assert.DoesNotContain("HOME", AllowedVariables.Names);
    }
}
