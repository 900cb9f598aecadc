using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Polaris.Agent.Serve;
using Polaris.Agent.Serve.Aggregate;
using Polaris.Agent.Serve.Spool;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Agent.Tests;

/// <summary>The aggregate stage with records of running processes: live summaries, their versions, and every process
/// counted once in one summary, on a real spool and real drop files.</summary>
public sealed class LiveAggregationTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly AgentCounters _counters = new();

    private AgentOptions Options(int windowMs = 1000, int maxOpen = 256) => new()
    {
        Spool = _dir.Combine("spool"), SpoolMinFreeBytes = 0, SummaryQuiet = TimeSpan.FromMilliseconds(100),
        SummaryWindow = TimeSpan.FromMilliseconds(windowMs), LiveAfter = TimeSpan.FromMilliseconds(100), SummaryMaxOpen = maxOpen,
    };

    private static ProcessRecord Record(int pid, bool running, string script = "/home/asmith/train.py", params string[] modules) => new()
    {
        RecordId = $"n1:{pid}.1", Host = "n1", Uid = 1001, User = "asmith", Pid = pid, Executable = "/usr/bin/python3",
        StartedAtMs = 1_764_000_000_000, EndedAtMs = 1_764_000_005_000,
        ExitReason = running ? ExitReasons.Running : ExitReasons.Exit, Partial = running,
        Job = new JobContext { JobId = "42.pbs", Script = script },
        Modules = (modules.Length == 0 ? ["numpy"] : modules).Select(m => new ModuleImport(m, $"/home/asmith/lib/{m}/__init__.py")).ToArray(),
        SharedObjects = running ? [] : [new SharedObject("/usr/lib/libm.so.6")],
    };

    private static ReceivedRecord Running(int pid, string file, params string[] modules) =>
        new(Record(pid, true, modules: modules), file) { State = RecordState.Running };

    private static ReceivedRecord Final(int pid, string file, params string[] modules) => new(Record(pid, false, modules: modules), file);

    private async Task<(RecordAggregator Stage, ChannelWriter<ReceivedRecord> Records, BatchSpool Spool)> StartAsync(AgentOptions options)
    {
        var channel = Channel.CreateUnbounded<ReceivedRecord>();
        var spool = new BatchSpool(options);
        spool.Open();
        var stage = new RecordAggregator(options, channel.Reader, spool, new SpoolSignal(), _counters, NullLogger<RecordAggregator>.Instance);
        await stage.StartAsync(CancellationToken.None);
        return (stage, channel.Writer, spool);
    }

    private string DropFile(int pid)
    {
        var path = _dir.Combine($"{pid}.1.rec");
        File.WriteAllText(path, "record");
        return path;
    }

    /// <summary>Every summary spooled, oldest batch first.</summary>
    private static List<ProcessSummary> Spooled(BatchSpool spool) =>
        spool.Pending().SelectMany(b => BatchCodec.Decode(File.ReadAllBytes(b.Path)).Summaries).ToList();

    private static List<ProcessSummary> WaitFor(BatchSpool spool, Func<List<ProcessSummary>, bool> done)
    {
        List<ProcessSummary> spooled = [];
        Assert.True(SpinWait.SpinUntil(() => done(spooled = Spooled(spool)), TimeSpan.FromSeconds(20)), $"{spooled.Count} summaries spooled");
        return spooled;
    }

    private long Counter(string name) => _counters.Values().Single(v => v.Name == name).Value;

    [Fact]
    public async Task A_running_process_ships_a_provisional_version_and_its_final_record_the_last_one_with_the_same_id()
    {
        var (stage, records, spool) = await StartAsync(Options());
        var file = DropFile(7);

        records.TryWrite(Running(7, file, "numpy"));
        var first = Assert.Single(WaitFor(spool, s => s.Count == 1));
        Assert.True(File.Exists(file), "a running process's file stays");
        records.TryWrite(Final(7, file, "numpy", "scipy"));
        var versions = WaitFor(spool, s => s.Count == 2);
        await stage.StopAsync(CancellationToken.None);

        Assert.NotNull(first.SummaryId);
        Assert.Equal((1u, false, "running", true), (first.Version, first.Final, first.Members[0].ExitReason, first.Members[0].Partial));
        var last = versions[1];
        Assert.Equal((first.SummaryId, 2u, true), (last.SummaryId, last.Version, last.Final));
        Assert.Equal(("exit", false), (Assert.Single(last.Members).ExitReason, last.Members[0].Partial));
        Assert.Equal(["numpy", "scipy"], last.Modules.Select(m => m.Name));
        Assert.Single(last.SharedObjects);
        Assert.False(File.Exists(file), "the file goes with the last version");
        Assert.Equal((1, 1), (Counter("live_versions_spooled"), Counter("processes_spooled")));
    }

    [Fact]
    public async Task Ranks_read_while_running_and_one_that_ended_make_one_summary_that_counts_each_once()
    {
        var (stage, records, spool) = await StartAsync(Options());
        var files = Enumerable.Range(0, 4).Select(DropFile).ToArray();

        records.TryWrite(Final(0, files[0]));
        for (int rank = 1; rank < 4; rank++)
        {
            records.TryWrite(Running(rank, files[rank]));
        }
        var provisional = Assert.Single(WaitFor(spool, s => s.Count == 1));
        for (int rank = 1; rank < 4; rank++)
        {
            records.TryWrite(Final(rank, files[rank], "numpy", "torch"));
        }
        var last = WaitFor(spool, s => s.Count == 2)[1];
        await stage.StopAsync(CancellationToken.None);

        Assert.Equal(["exit", "running", "running", "running"], provisional.Members.Select(m => m.ExitReason));
        Assert.Equal((provisional.SummaryId, true, 4), (last.SummaryId, last.Final, last.Processes));
        Assert.Equal((4, 3), (last.Modules.Single(m => m.Name == "numpy").Processes, last.Modules.Single(m => m.Name == "torch").Processes));
        Assert.All(files, f => Assert.False(File.Exists(f)));
    }

    [Fact]
    public async Task A_member_read_again_ships_again_no_sooner_than_a_window_after_and_one_that_changes_nothing_ships_nothing()
    {
        var (stage, records, spool) = await StartAsync(Options(windowMs: 1500));
        var file = DropFile(7);
        records.TryWrite(Running(7, file, "numpy"));
        WaitFor(spool, s => s.Count == 1);
        var shipped = DateTime.UtcNow;

        records.TryWrite(Running(7, file, "numpy", "torch"));
        var second = WaitFor(spool, s => s.Count == 2)[1];
        var waited = DateTime.UtcNow - shipped;
        Thread.Sleep(2000);
        int afterQuiet = Spooled(spool).Count;
        await stage.StopAsync(CancellationToken.None);

        Assert.True(waited >= TimeSpan.FromMilliseconds(1300), $"the second version came {waited.TotalMilliseconds} ms after the first");
        Assert.Equal((2u, false, 2), (second.Version, second.Final, second.Modules.Count));
        Assert.Equal(2, afterQuiet);
        Assert.True(File.Exists(file), "the process still runs: its file stays for the next start");
    }

    [Fact]
    public async Task A_running_member_whose_file_goes_without_a_final_record_ends_lost()
    {
        var (stage, records, spool) = await StartAsync(Options());
        var file = DropFile(7);
        records.TryWrite(Running(7, file));
        WaitFor(spool, s => s.Count == 1);

        records.TryWrite(ReceivedRecord.Gone(file));
        var last = WaitFor(spool, s => s.Count == 2)[1];
        await stage.StopAsync(CancellationToken.None);

        Assert.Equal((2u, true), (last.Version, last.Final));
        Assert.Equal(("lost", true), (last.Members[0].ExitReason, last.Members[0].Partial));
    }

    [Fact]
    public async Task A_live_summary_that_cannot_stay_open_goes_final_with_its_running_member_which_is_never_counted_again()
    {
        var (stage, records, spool) = await StartAsync(Options(windowMs: 60_000, maxOpen: 1));
        var live = DropFile(7);
        var other = DropFile(8);
        records.TryWrite(Running(7, live));
        WaitFor(spool, s => s.Count == 1);

        // Another script's record needs the one open summary: the live one goes final, its member still running.
        records.TryWrite(new ReceivedRecord(Record(8, false, "/home/asmith/plot.py"), other));
        var closed = WaitFor(spool, s => s.Any(x => x.Final && x.SummaryId != null));
        records.TryWrite(Running(7, live, "numpy", "torch"));
        records.TryWrite(Final(7, live, "numpy", "torch"));
        Assert.True(SpinWait.SpinUntil(() => !File.Exists(live), TimeSpan.FromSeconds(10)), "the settled process's file goes at its close");
        await stage.StopAsync(CancellationToken.None);

        var last = closed.Single(x => x.Final && x.SummaryId != null);
        Assert.Equal("running", Assert.Single(last.Members).ExitReason);
        Assert.Equal(1, Counter("live_settled"));
        Assert.DoesNotContain(Spooled(spool), s => s.Modules.Any(m => m.Name == "torch"));
        Assert.Equal([7, 8], Spooled(spool).Where(s => s.Final).SelectMany(s => s.Members).Select(m => m.Pid).Order());
    }

    [Fact]
    public async Task A_restarted_daemon_goes_on_with_the_live_summary_of_the_previous_run_at_its_next_version()
    {
        var options = Options();
        var (stage, records, spool) = await StartAsync(options);
        var running = DropFile(7);
        var ended = DropFile(8);
        records.TryWrite(Final(8, ended));
        records.TryWrite(Running(7, running));
        var first = Assert.Single(WaitFor(spool, s => s.Count == 1));
        await stage.StopAsync(CancellationToken.None);
        Assert.True(File.Exists(running) && File.Exists(ended), "both files stay for the next start");

        (stage, records, spool) = await StartAsync(options);
        records.TryWrite(Final(8, ended));
        records.TryWrite(Running(7, running));
        records.TryWrite(Final(7, running, "numpy", "torch"));
        var last = WaitFor(spool, s => s.Any(x => x.Final)).Single(x => x.Final);
        await stage.StopAsync(CancellationToken.None);

        Assert.Equal((first.SummaryId, true), (last.SummaryId, last.Final));
        Assert.True(last.Version > first.Version, $"version {last.Version} after {first.Version}");
        Assert.Equal([7, 8], last.Members.Select(m => m.Pid).Order());
        Assert.Equal(1, Spooled(spool).Count(s => s.Final));
        Assert.Empty(Directory.EnumerateFiles(options.Spool, "*.live"));
    }

    public void Dispose() => _dir.Dispose();
}
