using Polaris.Collector.Ingest;
using Polaris.Collector.Metrics;
using Polaris.Collector.Storage;
using Polaris.Testing;
using Polaris.Wire;

namespace Polaris.Collector.Bench;

/// <summary>Where the collector's CPU goes for a burst, stage by stage, in this process on one thread: decoding the
/// batches, preparing their documents and facts, and committing them in groups as <see cref="GroupCommit"/> would.
/// No HTTP, so the figures are the stages' own. Each stage is charged the CPU the whole process used while it ran
/// (the garbage collector's threads included), so that a busy host does not inflate the figures as wall time would.</summary>
internal static class IngestStagesBench
{
    public static int Run(int nodes, int modules, int ranks, int group)
    {
        var batches = BurstWorkload.Batches(nodes, modules, ranks);
        using var data = new TempDirectory();
        var options = new CollectorOptions();
        var metrics = new CollectorMetrics(options, new IngestBudget(options.MaxBytesInFlight));
        using var store = new CollectorStore(data.Path, metrics, null, options.RetentionDays);
        store.Recover(DateTime.UtcNow, TimeSpan.FromSeconds(options.HomeJobQuietSeconds));
        var limits = new WireLimits { MaxCompressedBytes = options.MaxBatchBytes, MaxDecompressedBytes = options.MaxDecompressedBytes };
        var strings = new StringPool();
        var decode = new CpuClock();
        var prepare = new CpuClock();
        var commit = new CpuClock();
        var pending = new List<PreparedBatch>(group);
        for (int i = 0; i < batches.Length; i++)
        {
            decode.Start();
            var received = BatchCodec.Receive(batches[i], limits, null, strings);
            decode.Stop();
            prepare.Start();
            pending.Add(store.Prepare(received.Batch, DateTime.UtcNow, batches[i].Length, received));
            prepare.Stop();
            if (pending.Count == group || i == batches.Length - 1)
            {
                commit.Start();
                store.Commit(pending);
                commit.Stop();
                pending.Clear();
            }
        }
        var fold = new CpuClock();
        fold.Start();
        store.Fold();
        fold.Stop();
        double Per(CpuClock s) => s.Elapsed.TotalMilliseconds * 1000 / nodes;
        Console.WriteLine($"stages: {nodes} summaries; decode {Per(decode):F0} us, prepare {Per(prepare):F0} us, commit {Per(commit):F0} us, fold {Per(fold):F0} us a summary");
        Console.WriteLine($"stages: allocated a summary: decode {decode.Allocated / nodes / 1024} KiB, prepare {prepare.Allocated / nodes / 1024} KiB, commit {commit.Allocated / nodes / 1024} KiB, fold {fold.Allocated / nodes / 1024} KiB");
        Console.WriteLine($"stages: {nodes / (decode.Elapsed + prepare.Elapsed + commit.Elapsed + fold.Elapsed).TotalSeconds:F0} summaries/s on one thread (CPU time)");
        return 0;
    }
}
