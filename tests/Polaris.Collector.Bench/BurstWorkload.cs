using Polaris.Wire;

namespace Polaris.Collector.Bench;

/// <summary>The end of a job on every node of a machine, as the agents would send it: one batch per node, each with the
/// summary of that node's ranks; the same module table on most nodes, one more module on every twentieth.</summary>
internal static class BurstWorkload
{
    /// <param name="nodes">one batch and one summary per node.</param>
    /// <param name="modules">the modules of every rank.</param>
    /// <param name="ranks">the processes of each node summary.</param>
    /// <param name="job">the PBS job number: the warm-up before a burst is another job's end.</param>
    public static byte[][] Batches(int nodes, int modules, int ranks, int job = 8102345)
    {
        var names = Enumerable.Range(0, modules).Select(i => i < 60 ? $"package{i:D2}" : $"package{i % 60:D2}.sub{i / 60}.module{i:D3}").ToArray();
        var start = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds();
        var random = new Random(11);
        var batches = new byte[nodes][];
        for (int node = 0; node < nodes; node++)
        {
            var host = $"x{node / 1000:D2}{node % 1000:D4}c0s0b0n0";
            var extra = node % 20 == 19 ? new[] { "package00.rank_specific" } : [];
            var records = Enumerable.Range(0, ranks).Select(rank => new ProcessRecord
            {
                Host = host, Uid = 10_000u + (uint)(node % 7), User = "", Pid = 5000 + rank,
                RecordId = $"{host}:{5000 + rank}.{start}", StartedAtMs = start, EndedAtMs = start + 60_000,
                ImportNs = 2_000_000_000, RuntimeNs = 60_000_000_000,
                Environment = new PythonEnvironment { Kind = EnvironmentKind.CondaEnv, Prefix = "/lus/grand/projects/climate/envs/torch", Name = "torch" },
                Job = new JobContext { JobId = $"{job}.aurora-pbs-0001", Account = "climate", Queue = "prod", NodeCount = nodes, Rank = (node * ranks) + rank, Size = nodes * ranks },
                Modules = names.Concat(extra).Select(n => new ModuleImport(n, $"/lus/grand/projects/climate/envs/torch/lib/python3.11/site-packages/{n.Replace('.', '/')}.py") { Origin = Origin.CustomEnv }).ToArray(),
                Times = names.Concat(extra).Select(_ => new ImportTime(random.Next(10_000, 5_000_000), random.Next(5_000, 1_000_000))).ToArray(),
            });
            var summaries = SummaryBuilder.Summarize(records);
            batches[node] = BatchCodec.Encode(new Batch { Key = $"burst-{job}-{node:D6}", Node = host, AgentVersion = "bench", CreatedAtMs = start + 60_000, Summaries = summaries });
        }
        return batches;
    }
}
