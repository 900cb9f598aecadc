using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Polaris.Agent.Serve;
using Polaris.Agent.Serve.Enrich;
using Polaris.Agent.Serve.Receive;
using Polaris.Testing;
using static Polaris.Agent.Tests.HookFile;

namespace Polaris.Agent.Tests;

/// <summary>The receive thread, in process: whatever a drop folder entry is or makes go wrong, the thread goes on,
/// and what is not a record goes away at once.</summary>
/// <remarks>Not run beside other tests: one counts the read calls of the whole test process.</remarks>
[Collection(nameof(DropWatcherTests))]
public sealed class DropWatcherTests : IDisposable
{
    // A pid no process has: the record's writer has ended.
    private const int GonePid = 2_147_483_600;

    private readonly TempDirectory _dir = new();
    private readonly AgentCounters _counters = new();
    private readonly Channel<ReceivedRecord> _received = Channel.CreateUnbounded<ReceivedRecord>();
    private readonly FailingWriter _writer;
    private readonly DropWatcher _watcher;

    public DropWatcherTests()
    {
        _writer = new FailingWriter(_received.Writer);
        var options = new AgentOptions { Drop = _dir.Combine("incoming"), Spool = _dir.Combine("spool") };
        _watcher = new DropWatcher(options, _writer, new UserDirectory(), new RecordEnricher(new EnrichOptions()), _counters, NullLogger<DropWatcher>.Instance);
    }

    private string Drop => _dir.Combine("incoming");

    private static byte[] Record() => File(Frame([
        "py", "3.11.2", "impl", "cpython", "exe", "/usr/bin/python3", "prefix", "/usr", "base", "/usr", "start", "1764000000000000000",
        "ppid", "0", "cwd", "/tmp", .. Group("m", [("sys", "built-in", "")]), "end", "1764000000250000000", "exit", "exit",
    ]));

    private static string Name(int n) => $"{GonePid}.{1_764_000_000_000_000_000L + n}.rec";

    private long Counter(string name) => _counters.Values().Single(v => v.Name == name).Value;

    private static void WaitUntil(Func<bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "timed out waiting for " + what);
            Thread.Sleep(20);
        }
    }

    [Fact]
    public async Task An_exception_taking_in_one_file_costs_that_file_and_the_thread_takes_in_the_next()
    {
        await _watcher.StartAsync(CancellationToken.None);
        _writer.FailNext = true;

        System.IO.File.WriteAllBytes(Path.Combine(Drop, Name(1)), Record());
        WaitUntil(() => Counter("dropped_failed") == 1 && !System.IO.File.Exists(Path.Combine(Drop, Name(1))), "the failing file counted and removed");
        System.IO.File.WriteAllBytes(Path.Combine(Drop, Name(2)), Record());

        // A record that fails on the enrichment thread is followed by the news that no final record of it will come
        // (its process may be in a live summary): skipped here.
        ReceivedRecord next;
        do
        {
            next = await _received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        }
        while (next.State == RecordState.Gone && next.DropFile.EndsWith(Name(1), StringComparison.Ordinal));
        Assert.EndsWith(Name(2), next.DropFile, StringComparison.Ordinal);
        // A record enriched on the reading thread is counted once passed on, a moment after the channel has it.
        WaitUntil(() => Counter("received") == 1, "the second record counted received");
        Assert.Equal(1, Counter("received"));
    }

    [Fact]
    public async Task Entries_that_are_not_one_plain_record_file_are_removed_as_they_appear_and_counted()
    {
        await _watcher.StartAsync(CancellationToken.None);
        Directory.CreateDirectory(Path.Combine(Drop, Name(2)));
        // Kept open to the end: .NET removes the socket file of a bound socket it closes.
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(Drop, Name(3))));
        System.IO.File.WriteAllBytes(Path.Combine(Drop, "fill.tmp"), new byte[4096]);
        System.IO.File.WriteAllBytes(_dir.Combine("outside.rec"), Record());
        System.IO.File.CreateSymbolicLink(Path.Combine(Drop, Name(4)), _dir.Combine("outside.rec"));
        Assert.Equal(0, CommandResult.Run("ln", [_dir.Combine("outside.rec"), Path.Combine(Drop, Name(5))]).ExitCode);
        var notUtf8 = CommandResult.Run("/usr/bin/python3", ["-c", "import os, sys; open(os.fsencode(sys.argv[1]) + b'/\\xff\\xfe.rec', 'wb').close()", Drop]);
        Assert.True(notUtf8.ExitCode == 0, notUtf8.StderrText);

        WaitUntil(() => !Directory.EnumerateFileSystemEntries(Drop).Any(), "every entry removed");
        Assert.True(System.IO.File.Exists(_dir.Combine("outside.rec")), "a link's target is not touched");
        Assert.Equal(0, Counter("received"));
        Assert.Equal(0, Counter("dropped_failed"));
        Assert.Equal(2, Counter("dropped_malformed"));
        Assert.True(Counter("dropped_not_regular") == 4, _counters.ToString());
    }

    [Fact]
    public async Task Junk_left_while_the_daemon_was_down_goes_at_start()
    {
        Directory.CreateDirectory(Drop);
        Directory.CreateDirectory(Path.Combine(Drop, "folder"));
        System.IO.File.WriteAllBytes(Path.Combine(Drop, "x.tmp"), new byte[10]);
        var notUtf8 = CommandResult.Run("/usr/bin/python3", ["-c", "import os, sys; open(os.fsencode(sys.argv[1]) + b'/\\xff.rec', 'wb').close()", Drop]);
        Assert.True(notUtf8.ExitCode == 0, notUtf8.StderrText);

        await _watcher.StartAsync(CancellationToken.None);

        WaitUntil(() => !Directory.EnumerateFileSystemEntries(Drop).Any(), "every entry removed");
    }

    [Fact]
    public async Task A_drop_path_that_is_a_symlink_stops_start_up_and_its_target_keeps_its_mode()
    {
        var target = Directory.CreateDirectory(_dir.Combine("target")).FullName;
        System.IO.File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateSymbolicLink(Drop, target);

        var refused = await Assert.ThrowsAsync<IOException>(() => _watcher.StartAsync(CancellationToken.None));

        Assert.Contains("setting 'drop'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, System.IO.File.GetUnixFileMode(target));
    }

    [Fact]
    public async Task Thousands_of_files_named_after_a_running_process_are_not_read_again_at_every_wake()
    {
        // Empty record files named after this very process, which runs: each waits for its writer to end.
        const int Waiting = 2000;
        Directory.CreateDirectory(Drop);
        var started = (long)(ProcessLiveness.StartOf(Environment.ProcessId)!.Value * 1e9);
        for (int i = 0; i < Waiting; i++)
        {
            System.IO.File.WriteAllBytes(Path.Combine(Drop, $"{Environment.ProcessId}.{started + i}.rec"), []);
        }
        await _watcher.StartAsync(CancellationToken.None);
        WaitUntil(() => Counter("received") == 0 && ReadCalls() > 0, "start");
        // The first scan reads every file once; on a busy machine it may still run after a fixed pause, and its reads
        // would be counted as the wakes'. Wait until this process's reads stand still (other tests of the process may
        // read on: 6 s at most).
        for (long last = -1, now = ReadCalls(), waits = 0; now != last && waits < 20; last = now, now = ReadCalls(), waits++)
        {
            Thread.Sleep(300);
        }

        // Twenty wakes, each a file of another name: the waiting files cost nothing more.
        long before = ReadCalls();
        for (int i = 0; i < 20; i++)
        {
            System.IO.File.WriteAllBytes(Path.Combine(Drop, $"junk{i}"), []);
            WaitUntil(() => !System.IO.File.Exists(Path.Combine(Drop, $"junk{i}")), "junk removed");
        }
        long reads = ReadCalls() - before;

        // Before, every wake read all of them again: at least 20 x 2000 reads. The count is the whole process's, so
        // tests running beside this one add theirs: the bound is a quarter of what the defect costs, far above what
        // 20 wakes of another name cost alone (a few dozen).
        Assert.True(reads < 20 * Waiting / 4, $"{reads} read calls for 20 wakes with {Waiting} files waiting");
        Assert.Equal(Waiting, Directory.GetFiles(Drop).Length);
    }

    /// <summary>read() calls of this process so far (/proc/self/io's syscr).</summary>
    private static long ReadCalls() =>
        long.Parse(System.IO.File.ReadAllLines("/proc/self/io").Single(l => l.StartsWith("syscr:", StringComparison.Ordinal))[6..].Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _watcher.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _watcher.Dispose();
        _dir.Dispose();
    }

    /// <summary>Passes records on, except that it throws once when told to: a fault nothing in a record should cause.</summary>
    private sealed class FailingWriter(ChannelWriter<ReceivedRecord> inner) : ChannelWriter<ReceivedRecord>
    {
        public volatile bool FailNext;

        public override bool TryWrite(ReceivedRecord item)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("injected");
            }
            return inner.TryWrite(item);
        }

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => inner.WaitToWriteAsync(cancellationToken);
    }
}

/// <summary>Runs <see cref="DropWatcherTests"/> alone.</summary>
[CollectionDefinition(nameof(DropWatcherTests), DisableParallelization = true)]
public sealed class DropWatcherTestsCollection;
