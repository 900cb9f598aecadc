using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Polaris.Agent.Serve;
using Polaris.Agent.Serve.Enrich;
using Polaris.Agent.Serve.Receive;
using Polaris.Testing;
using Polaris.Wire;
using static Polaris.Agent.Tests.HookFile;

namespace Polaris.Agent.Tests;

/// <summary>The receive thread, in process, with a record file whose writer runs (this test process): read once open
/// for liveAfterMs, again only after it grew and a window after, and taken in as ever at its close.</summary>
[Collection(nameof(DropWatcherTests))]
public sealed class DropWatcherLiveTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly AgentCounters _counters = new();
    private readonly Channel<ReceivedRecord> _received = Channel.CreateUnbounded<ReceivedRecord>();
    private readonly DropWatcher _watcher;

    public DropWatcherLiveTests()
    {
        var options = new AgentOptions
        {
            Drop = _dir.Combine("incoming"), Spool = _dir.Combine("spool"),
            LiveAfter = TimeSpan.FromMilliseconds(200), SummaryWindow = TimeSpan.FromMilliseconds(1500),
        };
        _watcher = new DropWatcher(options, _received.Writer, new UserDirectory(), new RecordEnricher(new EnrichOptions()), _counters, NullLogger<DropWatcher>.Instance);
    }

    private static byte[] Header() => Frame([
        "py", "3.11.2", "impl", "cpython", "exe", "/usr/bin/python3", "prefix", "/usr", "base", "/usr",
        "cwd", "/tmp", .. Group("m", [("json", "/usr/lib/python3.11/json/__init__.py", "")]),
    ]);

    private static byte[] Modules(string name) => Frame([.. Group("m", [(name, $"/usr/lib/python3.11/{name}.py", "")])]);

    private static byte[] Exit() => Frame(["end", (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture), "exit", "exit"]);

    private async Task<(ReceivedRecord Record, TimeSpan At)> Next(Stopwatch clock)
    {
        var next = await _received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        return (next, clock.Elapsed);
    }

    private long Counter(string name) => _counters.Values().Single(v => v.Name == name).Value;

    [Fact]
    public async Task A_running_writers_file_is_read_while_it_runs_again_after_it_grew_and_at_its_close_as_ever()
    {
        await _watcher.StartAsync(CancellationToken.None);
        // Made before the listing, the file would be of unknown age, and read at once.
        await _watcher.Listed.WaitAsync(TimeSpan.FromSeconds(30));
        int pid = Environment.ProcessId;
        long startNs = (long)(ProcessLiveness.StartOf(pid)!.Value * 1e9);
        var path = Path.Combine(_dir.Combine("incoming"), $"{pid}.{startNs}.rec");
        var clock = Stopwatch.StartNew();

        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            file.Write(Header());
            file.Flush();
            var (first, firstAt) = await Next(clock);
            // A frame half written when the file is read next is left for the read after.
            file.Write(Modules("csv"));
            file.Write(Modules("decimal").AsSpan(0, 10));
            file.Flush();
            var (second, secondAt) = await Next(clock);
            file.Write(Modules("decimal").AsSpan(10));
            file.Write(Exit());
            file.Flush();

            Assert.Equal((RecordState.Running, ExitReasons.Running, true), (first.State, first.Record.ExitReason, first.Record.Partial));
            Assert.Equal(["json"], first.Record.Modules.Select(m => m.Name));
            Assert.True(firstAt >= TimeSpan.FromMilliseconds(150), $"read {firstAt.TotalMilliseconds} ms after its creation");
            Assert.Equal(RecordState.Running, second.State);
            Assert.Equal(["json", "csv"], second.Record.Modules.Select(m => m.Name));
            Assert.True(secondAt - firstAt >= TimeSpan.FromMilliseconds(1300), $"read again {(secondAt - firstAt).TotalMilliseconds} ms after");
            Assert.Equal(path, second.DropFile);
        }
        var (last, _) = await Next(clock);
        await _watcher.StopAsync(CancellationToken.None);

        Assert.Equal((RecordState.Final, ExitReasons.Exit, false), (last.State, last.Record.ExitReason, last.Record.Partial));
        Assert.Equal(["json", "csv", "decimal"], last.Record.Modules.Select(m => m.Name));
        Assert.True(System.IO.File.Exists(path), "the aggregator removes it once spooled");
        Assert.Equal((2, 1), (Counter("live_reads"), Counter("received")));
    }

    [Fact]
    public async Task A_running_writers_file_removed_by_its_owner_ends_its_process_as_gone()
    {
        await _watcher.StartAsync(CancellationToken.None);
        // Made before the listing, the file would be of unknown age, and read at once.
        await _watcher.Listed.WaitAsync(TimeSpan.FromSeconds(30));
        int pid = Environment.ProcessId;
        long startNs = (long)(ProcessLiveness.StartOf(pid)!.Value * 1e9);
        var path = Path.Combine(_dir.Combine("incoming"), $"{pid}.{startNs}.rec");
        var clock = Stopwatch.StartNew();

        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            file.Write(Header());
            file.Flush();
            var (first, _) = await Next(clock);
            System.IO.File.Delete(path);
            file.Write(Modules("csv")); // the watch is on the file: its write still tells
            file.Flush();
            var (gone, _) = await Next(clock);
            await _watcher.StopAsync(CancellationToken.None);

            Assert.Equal(RecordState.Running, first.State);
            Assert.Equal((RecordState.Gone, path), (gone.State, gone.DropFile));
        }
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _dir.Dispose();
    }
}
