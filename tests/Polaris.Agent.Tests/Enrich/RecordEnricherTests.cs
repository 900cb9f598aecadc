using Polaris.Agent.Serve.Enrich;
using Polaris.Wire;

namespace Polaris.Agent.Tests.Enrich;

public sealed class RecordEnricherTests : IDisposable
{
    private readonly FakeFacility _facility = new();

    public void Dispose() => _facility.Dispose();

    private ProcessRecord RawRecord(string prefix, string basePrefix, IReadOnlyList<ModuleImport> modules, IReadOnlyList<SharedObject> sharedObjects, Dictionary<string, string> variables) => new()
    {
        Host = "x3004c0s7b0n0",
        Uid = FakeFacility.AliceUid,
        User = "alice",
        Pid = 31337,
        PythonVersion = FakeFacility.Python,
        Executable = prefix + "/bin/python3",
        WorkingDirectory = _facility.Home + "/runs/exp1",
        Modules = modules,
        SharedObjects = sharedObjects,
        Environment = new PythonEnvironment { Implementation = "cpython", Prefix = prefix, BasePrefix = basePrefix },
        Job = new JobContext { Script = _facility.Home + "/runs/exp1/train.py", Variables = variables },
    };

    [Fact]
    public void A_record_from_a_venv_on_base_is_enriched_in_every_part()
    {
        var f = _facility;
        var lib = FakeFacility.Lib;
        var raw = RawRecord(
            f.VenvOnBase,
            f.Base,
            [
                new ModuleImport("sys", "") { Kind = ModuleKind.Builtin },
                new ModuleImport("numpy", $"{f.Base}/{lib}/numpy/__init__.py") { Kind = ModuleKind.Source, Version = "1.26.4" },
                new ModuleImport("pydantic", $"{f.VenvOnBase}/{lib}/pydantic/__init__.py") { Kind = ModuleKind.Source },
                new ModuleImport("rich", $"{f.Home}/.local/{lib}/rich/__init__.py"),
                new ModuleImport("mylib", $"{f.Home}/mylib/__init__.py"),
                new ModuleImport("__main__", $"{f.Home}/runs/exp1/train.py"),
                new ModuleImport("shared", $"{f.Projects}/climate/lib/shared.py"),
                new ModuleImport("json", "/usr/lib/python3.11/json/__init__.py"),
            ],
            [new SharedObject("/usr/lib/x86_64-linux-gnu/libc.so.6"), new SharedObject($"{f.Base}/lib/libmkl_core.so.2"), new SharedObject(f.Path("nvidia/cuda/lib64/libcudart.so.12"))],
            new()
            {
                ["PBS_JOBID"] = "4242.polaris-pbs-01",
                ["PBS_ACCOUNT"] = "climate",
                ["PBS_QUEUE"] = "debug",
                ["PALS_RANKID"] = "0",
                ["PMI_SIZE"] = "4",
                ["PYTHONPATH"] = $"/opt/polaris-agent/hook/:{f.Projects}/climate/lib::{f.Home}/mylib",
            });
        var enricher = new RecordEnricher(f.Options, f.LookUpHome);

        var record = enricher.Enrich(raw);

        Assert.Equal(
            [Origin.Unknown, Origin.BaseEnv, Origin.Venv, Origin.UserSite, Origin.Home, Origin.Cwd, Origin.Project, Origin.System],
            record.Modules.Select(m => m.Origin));
        Assert.Equal(raw.Modules.Select(m => m with { Origin = Origin.Unknown }), record.Modules.Select(m => m with { Origin = Origin.Unknown }));
        Assert.Equal([Origin.System, Origin.BaseEnv, Origin.Other], record.SharedObjects.Select(s => s.Origin));

        Assert.Equal(EnvironmentKind.VenvOnBase, record.Environment.Kind);
        Assert.Equal("onbase", record.Environment.Name);
        Assert.Equal([new PipPackage("pydantic", "2.7.1")], record.Environment.Changes.PipInstalled);
        Assert.Equal([$"{f.Projects}/climate/lib", $"{f.Home}/mylib"], record.Environment.Changes.PythonPath);

        Assert.Equal(("4242.polaris-pbs-01", "climate", "debug", 0, 4), (record.Job.JobId, record.Job.Account, record.Job.Queue, record.Job.Rank, record.Job.Size));
        Assert.Equal(raw with { Modules = record.Modules, SharedObjects = record.SharedObjects, Environment = record.Environment, Job = record.Job }, record);
        Assert.Equal(1, enricher.Counters.Records);
        Assert.Equal(0, enricher.Counters.Failures);
    }

    [Fact]
    public void Without_the_disk_a_record_whose_environment_or_node_file_was_not_read_lately_is_left_for_a_reading_thread()
    {
        var nodeFile = Path.Combine(_facility.Home, "nodefile");
        File.WriteAllLines(nodeFile, ["x3004c0s7b0n0", "x3004c0s7b1n0"]);
        var enricher = new RecordEnricher(_facility.Options, _facility.LookUpHome, revalidateAfter: TimeSpan.FromMinutes(10));
        var fresh = RawRecord(_facility.Clone, _facility.Clone, [], [], []);
        var withNodes = RawRecord(_facility.Base, _facility.Base, [], [], new() { ["PBS_NODEFILE"] = nodeFile });

        Assert.False(enricher.TryEnrichDeferringOrigins(fresh, mayRead: false, out var left));
        Assert.Same(fresh, left.Record);
        var read = enricher.EnrichDeferringOrigins(fresh).Record;
        Assert.True(enricher.TryEnrichDeferringOrigins(fresh, mayRead: false, out var known));
        Assert.Equal(EnvironmentKind.BaseClone, known.Record.Environment.Kind);
        Assert.Equal(read.Environment, known.Record.Environment);

        // With its environment known, a record whose node file was not read waits too.
        enricher.EnrichDeferringOrigins(RawRecord(_facility.Base, _facility.Base, [], [], []));
        Assert.False(enricher.TryEnrichDeferringOrigins(withNodes, mayRead: false, out _));
        Assert.Equal(2, enricher.EnrichDeferringOrigins(withNodes).Record.Job.NodeCount);
        Assert.True(enricher.TryEnrichDeferringOrigins(withNodes, mayRead: false, out var counted));
        Assert.Equal(2, counted.Record.Job.NodeCount);
    }

    [Fact]
    public void Without_the_disk_past_the_revalidation_time_one_record_goes_to_a_reading_thread_and_the_others_go_on()
    {
        var enricher = new RecordEnricher(_facility.Options, _facility.LookUpHome, revalidateAfter: TimeSpan.Zero);
        var raw = RawRecord(_facility.Clone, _facility.Clone, [], [], []);
        enricher.EnrichDeferringOrigins(raw);

        // Even a stat of a path a user names can hang: past the revalidation time only a reading thread asks, for one
        // record; the records after it go on with what was known rather than all wait (and take memory) meanwhile.
        Assert.False(enricher.TryEnrichDeferringOrigins(raw, mayRead: false, out _));
        Assert.True(enricher.TryEnrichDeferringOrigins(raw, mayRead: false, out var standIn));
        Assert.Equal(EnvironmentKind.BaseClone, standIn.Record.Environment.Kind);
        // Checked again by the reading thread: its turn comes again at the next revalidation.
        enricher.EnrichDeferringOrigins(raw);
        Assert.False(enricher.TryEnrichDeferringOrigins(raw, mayRead: false, out _));
    }

    [Fact]
    public void Without_a_passwd_home_the_home_roots_still_classify()
    {
        var raw = RawRecord("/usr", "/usr", [new ModuleImport("mylib", _facility.Home + "/mylib.py")], [], []) with { Uid = 77 };

        var record = new RecordEnricher(_facility.Options, _ => null).Enrich(raw);

        Assert.Equal(Origin.Home, Assert.Single(record.Modules).Origin);
        Assert.Equal(EnvironmentKind.SystemPython, record.Environment.Kind);
    }

    [Fact]
    public void Hostile_records_do_not_throw()
    {
        var raw = RawRecord("relative/prefix\0x", "\0", [new ModuleImport("x", "/a\0b/c.py"), new ModuleImport("y", "////"), new ModuleImport("z", "/")], [new SharedObject("")], new()
        {
            ["PBS_NODEFILE"] = "/dev/zero",
            ["PYTHONPATH"] = ":::",
            ["PMI_RANK"] = "99999999999999999999",
        }) with { PythonVersion = "garbage", WorkingDirectory = "\0" };

        var record = new RecordEnricher(_facility.Options, _facility.LookUpHome).Enrich(raw);

        Assert.Equal(EnvironmentKind.Unknown, record.Environment.Kind);
        Assert.Empty(record.Environment.Changes.PythonPath);
        Assert.Equal(0, record.Job.NodeCount);
        Assert.Equal(-1, record.Job.Rank);
    }

    [Fact]
    public void The_hook_folder_is_left_out_of_python_path_wherever_the_agent_put_it()
    {
        var entries = new PythonPathEntries("/opt/polaris-agent/hook");

        Assert.Equal(
            ["/lus/x", "/home/alice/hook", "/"],
            entries.Of("/opt/polaris-agent/hook:/lus/x::/tmp/polaris-agent-4242/hook-0123456789abcdef:/run/user/4242/polaris-agent/hook-0123456789abcdef:/home/alice/hook:/opt/polaris-agent/hook/:/"));
        Assert.Empty(entries.Of(null));
    }
}
