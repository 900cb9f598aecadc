using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polaris.Agent.Native;

namespace Polaris.Agent.Serve.Receive;

/// <summary>The receive stage: takes in record files from the drop directory as their writers close them.</summary>
/// <remarks>
/// The hook writes its record to <c>DROP/PID.START.rec</c> and closes it at exit; the kernel closes it for a
/// killed process. Either way inotify reports IN_CLOSE_WRITE and the record is read here, attributed to the
/// file's owner. A file whose writer still runs (a forked child closed its inherited copy) waits for the next
/// close. Files left while the daemon was down are taken in at start. A file is removed only after its record
/// is spooled (<see cref="Aggregate.RecordAggregator"/>).
/// </remarks>
public sealed class DropWatcher(
    AgentOptions options,
    ChannelWriter<ReceivedRecord> records,
    UserDirectory users,
    Enrich.RecordEnricher enricher,
    AgentCounters counters,
    ILogger<DropWatcher> logger) : IHostedService, IDisposable
{
    // Only while some files wait for a live writer do we wake up on our own, to look at them again.
    private const int RecheckMs = 10_000;
    private const UnixFileMode DropMode =
        UnixFileMode.StickyBit | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly string _host = Environment.MachineName;
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);
    private readonly UserRateLimit _rateLimit = new(options.UserRecordsPerSecond, options.UserRecordBurst);
    private readonly HashSet<string> _admitted = new(StringComparer.Ordinal);
    // One buffer for every file read: records are parsed into objects before the next is read.
    private byte[] _buffer = new byte[64 * 1024];
    private readonly ReaderCaches _caches = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CreationWitness _witnesses = new();
    private Inotify? _inotify;
    // Files are opened relative to the folder: the kernel then looks up one name, not the whole path.
    private Microsoft.Win32.SafeHandles.SafeFileHandle? _folder;
    private readonly YoungGenerationBound _youngGeneration = new();
    private Thread? _thread;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Mode 1733: every user may create files, none may list or remove another's.
        Directory.CreateDirectory(options.Drop);
        File.SetUnixFileMode(options.Drop, DropMode);
        _folder = RegularFile.OpenFolder(options.Drop, out int error)
            ?? throw new IOException($"cannot open the drop folder {options.Drop} (errno {error})");
        _inotify = new Inotify(options.Drop);
        _thread = new Thread(Run) { Name = "polaris-drop", IsBackground = true };
        _thread.Start();
        LogMessages.Watching(logger, options.Drop);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        _inotify?.Stop();
        _thread?.Join();
        return Task.CompletedTask;
    }

    private void Run()
    {
        var inotify = _inotify!;
        TakeAll();
        while (inotify.Wait(_waiting.Count > 0 ? RecheckMs : -1, out bool overflowed) is { } names)
        {
            if (overflowed)
            {
                TakeAll();
                continue;
            }
            foreach (var (name, created) in names)
            {
                if (created)
                {
                    _witnesses.Witness(name);
                }
                else
                {
                    Take(name);
                }
            }
            if (names.Count == 0 || _waiting.Count > 0)
            {
                foreach (var name in _waiting.ToArray())
                {
                    Take(name);
                }
            }
        }
    }

    private void TakeAll()
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(options.Drop))
        {
            Take(Path.GetFileName(path));
        }
    }

    private void Take(string name)
    {
        _waiting.Remove(name);
        var path = Path.Combine(options.Drop, name);
        try
        {
            var outcome = Read(name, path);
            if (outcome == Outcome.Wait)
            {
                _waiting.Add(name);
                _admitted.Add(name);
                return;
            }
            _admitted.Remove(name);
            if (outcome == Outcome.Discard)
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            counters.UnreadableFile();
        }
    }

    private Outcome Read(string name, string path)
    {
        if (RecordFileName.Parse(name) is not { } fileName)
        {
            if (name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                return Outcome.Keep;
            }
            counters.Malformed();
            return Outcome.Discard;
        }
        // A file read again (its writer still ran) was admitted once: it takes no second token.
        bool Admit(uint owner) => _admitted.Contains(name) || _rateLimit.TryTake(owner, System.Diagnostics.Stopwatch.GetTimestamp());
        if (DropFile.Read(_folder!, name, options.MaxRecordBytes, Admit, ref _buffer, out var refusal) is not { } file)
        {
            switch (refusal)
            {
                case DropFile.Refusal.Oversized: counters.Oversized(); return Outcome.Discard;
                case DropFile.Refusal.NotRegular: counters.NotRegular(); return Outcome.Discard;
                case DropFile.Refusal.RateLimited: counters.RateLimited(); return Outcome.Discard;
                default: return Outcome.Keep; // already gone
            }
        }
        HookRecord parsed;
        try
        {
            var user = users.Find(file.Owner)?.Name ?? file.Owner.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parsed = HookFrames.Parse(_buffer.AsSpan(0, file.Length), fileName, file.Owner, user, _host, _caches);
            parsed = parsed with { Record = parsed.Record with { PidVerified = _witnesses.Verified(name, file.Owner) } };
        }
        catch (FormatException)
        {
            if (ProcessLiveness.IsRunning(fileName.Pid, fileName.StartedUnixNs))
            {
                return Outcome.Wait; // opened, nothing flushed yet
            }
            counters.Malformed();
            return Outcome.Discard;
        }
        if (!parsed.Complete && ProcessLiveness.IsRunning(fileName.Pid, fileName.StartedUnixNs))
        {
            return Outcome.Wait;
        }
        var (enriched, originOf) = enricher.EnrichDeferringOrigins(parsed.Record);
        var received = new ReceivedRecord(enriched, path, originOf);
        if (!records.TryWrite(received))
        {
            // Back-pressure: this thread waits for the aggregator (the kernel queues further events meanwhile;
            // past its queue, an overflow makes us look at the whole folder). Stopping leaves the file for the next start.
            counters.Deferred();
            try
            {
                records.WriteAsync(received, _stopping.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
                return Outcome.Keep;
            }
        }
        _witnesses.Forget(name);
        counters.RecordReceived();
        _youngGeneration.Check();
        counters.FramesDropped(parsed.DroppedFrames);
        return Outcome.Keep; // the aggregator removes it once its summary is spooled
    }

    public void Dispose()
    {
        _inotify?.Dispose();
        _folder?.Dispose();
        _stopping.Dispose();
    }

    private enum Outcome
    {
        Keep,
        Wait,
        Discard,
    }
}
