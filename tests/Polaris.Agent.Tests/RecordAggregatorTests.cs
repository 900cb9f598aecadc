using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Polaris.Agent.Serve;
using Polaris.Agent.Serve.Aggregate;
using Polaris.Agent.Serve.Spool;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Agent.Tests;

/// <summary>The aggregate stage, run as the daemon runs it, on a real spool and real drop files.</summary>
public sealed class RecordAggregatorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static ProcessRecord Record(int pid, string script, string jobId = "") => new()
    {
        RecordId = $"n1:{pid}.1", Host = "n1", Uid = 1001, User = "asmith", Pid = pid, Executable = "/usr/bin/python3",
        Job = new JobContext { JobId = jobId, Script = script },
        Modules = [new ModuleImport("numpy", "/usr/lib/python3/dist-packages/numpy/__init__.py")],
    };

    private static async Task<(RecordAggregator Stage, ChannelWriter<ReceivedRecord> Records, BatchSpool Spool)> StartAsync(AgentOptions options, AgentCounters? counters = null)
    {
        var channel = Channel.CreateBounded<ReceivedRecord>(options.QueueCapacity);
        var spool = new BatchSpool(options);
        spool.Open();
        var stage = new RecordAggregator(options, channel.Reader, spool, new SpoolSignal(), counters ?? new AgentCounters(), NullLogger<RecordAggregator>.Instance);
        await stage.StartAsync(CancellationToken.None);
        return (stage, channel.Writer, spool);
    }

    private string DropFile(int pid)
    {
        var path = _dir.Combine($"{pid}.1.rec");
        File.WriteAllText(path, "record");
        return path;
    }

    private IReadOnlyList<ProcessSummary> Spooled(BatchSpool spool) =>
        spool.Pending().SelectMany(b => BatchCodec.Decode(File.ReadAllBytes(b.Path)).Summaries).ToArray();

    [Fact]
    public async Task The_ranks_of_a_job_become_one_summary_and_their_drop_files_go_once_it_is_spooled()
    {
        var options = new AgentOptions { Spool = _dir.Combine("spool"), SpoolMinFreeBytes = 0, SummaryQuiet = TimeSpan.FromMilliseconds(300) };
        var (stage, records, spool) = await StartAsync(options);
        var files = Enumerable.Range(0, 4).Select(DropFile).ToArray();

        for (int rank = 0; rank < 4; rank++)
        {
            records.TryWrite(new ReceivedRecord(Record(rank, "/home/asmith/train.py", "42.pbs"), files[rank]));
        }
        SpinWait.SpinUntil(() => spool.Pending().Count > 0, TimeSpan.FromSeconds(10));
        await stage.StopAsync(CancellationToken.None);

        var summary = Assert.Single(Spooled(spool));
        Assert.Equal(4, summary.Processes);
        Assert.All(files, f => Assert.False(File.Exists(f), f + " should go once its record is spooled"));
    }

    [Fact]
    public async Task Each_module_entry_counts_the_processes_that_loaded_it_at_start_up()
    {
        // Three runs of one script: a .pth file loads pthpkg at start-up in the first two; the third imports it itself.
        var options = new AgentOptions { Spool = _dir.Combine("spool"), SpoolMinFreeBytes = 0, SummaryQuiet = TimeSpan.FromMilliseconds(300) };
        var (stage, records, spool) = await StartAsync(options);
        ModuleImport[] modules = [new("pthpkg", "/venv/pthpkg/__init__.py"), new("mypkg", "/home/asmith/mypkg/__init__.py")];

        for (int p = 0; p < 3; p++)
        {
            var record = Record(p, "/home/asmith/train.py") with
            {
                Modules = modules,
                Times = [new ImportTime(2000, 1000) { Startup = p < 2 }, new ImportTime(3000, 3000)],
            };
            records.TryWrite(new ReceivedRecord(record, DropFile(p)));
        }
        SpinWait.SpinUntil(() => Spooled(spool).Sum(s => s.Processes) == 3, TimeSpan.FromSeconds(10));
        await stage.StopAsync(CancellationToken.None);

        var summary = Assert.Single(Spooled(spool));
        Assert.Equal([("pthpkg", 3, 2), ("mypkg", 3, 0)], summary.Modules.Select(m => (m.Name, m.Processes, m.StartupProcesses)));
    }

    [Fact]
    public async Task A_record_that_would_take_its_summary_past_the_module_bound_starts_another_and_every_summary_stays_within_the_bounds()
    {
        // Three processes of one script, each with 10,000 modules of its own: 30,000 entries would not fit one summary.
        var options = new AgentOptions { Spool = _dir.Combine("spool"), SpoolMinFreeBytes = 0, SummaryQuiet = TimeSpan.FromMilliseconds(300) };
        var (stage, records, spool) = await StartAsync(options);

        for (int p = 0; p < 3; p++)
        {
            var record = Record(p, "/home/asmith/train.py") with
            {
                Modules = Enumerable.Range(0, 10_000).Select(i => new ModuleImport($"p{p}m{i}", $"/x/p{p}m{i}.py")).ToArray(),
            };
            records.TryWrite(new ReceivedRecord(record, DropFile(p)));
        }
        SpinWait.SpinUntil(() => Spooled(spool).Sum(s => s.Processes) == 3, TimeSpan.FromSeconds(10));
        await stage.StopAsync(CancellationToken.None);

        var summaries = Spooled(spool);
        Assert.Equal(3, summaries.Sum(s => s.Processes));
        Assert.True(summaries.Count >= 2, "30,000 module entries cannot be one summary");
        Assert.All(summaries, s => Assert.InRange(s.Modules.Count, 1, SummaryBounds.MaxModulesPerSummary));
        Assert.All(summaries, s => Assert.True(s.Clipped.IsEmpty, "nothing need be left out: the records go into summaries of their own"));
        Assert.Equal(30_000, summaries.Sum(s => s.Modules.Count));
    }

    [Fact]
    public async Task Past_the_open_summary_bound_the_one_that_waited_longest_is_closed_without_waiting_for_its_quiet_time()
    {
        // A user who runs many different scripts at once: each is a summary of its own.
        var options = new AgentOptions { Spool = _dir.Combine("spool"), SpoolMinFreeBytes = 0, SummaryQuiet = TimeSpan.FromMinutes(10), SummaryWindow = TimeSpan.FromMinutes(10), SummaryMaxOpen = 3 };
        var (stage, records, spool) = await StartAsync(options);

        for (int i = 0; i < 10; i++)
        {
            records.TryWrite(new ReceivedRecord(Record(100 + i, $"/home/asmith/script{i}.py"), DropFile(100 + i)));
            await Task.Delay(5);
        }
        SpinWait.SpinUntil(() => Spooled(spool).Count >= 7, TimeSpan.FromSeconds(10));
        var beforeStop = Spooled(spool).Select(s => s.Job.Script).ToArray();
        await stage.StopAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"/home/asmith/script{i}.py"), beforeStop.Order());
        Assert.Equal(10, Spooled(spool).Count); // the last three at shutdown
    }

    [Fact]
    public async Task What_a_summary_leaves_out_of_a_members_own_variables_is_counted_with_the_other_clipped_values()
    {
        // Forged: two processes of one script with 64 variables each and one name in common, which differ in 127.
        var options = new AgentOptions { Spool = _dir.Combine("spool"), SpoolMinFreeBytes = 0, SummaryQuiet = TimeSpan.FromMilliseconds(300) };
        var counters = new AgentCounters();
        var (stage, records, spool) = await StartAsync(options, counters);
        Dictionary<string, string> Variables(string prefix, string device)
        {
            var variables = Enumerable.Range(0, SummaryBounds.MaxVariables - 1).ToDictionary(i => $"{prefix}{i:D2}", _ => "x");
            variables["CUDA_VISIBLE_DEVICES"] = device;
            return variables;
        }
        var first = Record(1, "/home/asmith/train.py");
        var second = Record(2, "/home/asmith/train.py");

        records.TryWrite(new ReceivedRecord(first with { Job = first.Job with { Variables = Variables("A", "0") } }, DropFile(1)));
        records.TryWrite(new ReceivedRecord(second with { Job = second.Job with { Variables = Variables("B", "1") } }, DropFile(2)));
        SpinWait.SpinUntil(() => spool.Pending().Count > 0, TimeSpan.FromSeconds(10));
        await stage.StopAsync(CancellationToken.None);

        var summary = Assert.Single(Spooled(spool));
        Assert.Equal(SummaryBounds.MaxVariables, summary.Members[1].Variables.Count);
        Assert.Equal(127 - SummaryBounds.MaxVariables, summary.Clipped.Texts);
        var values = counters.Values().ToDictionary(v => v.Name, v => v.Value);
        Assert.Equal(127 - SummaryBounds.MaxVariables, values["clipped_values"]);
        Assert.Equal(1, values["clipped_records"]);
    }

    public void Dispose() => _dir.Dispose();
}
