using Polaris.Wire;

namespace Polaris.Collector.Bench.Year;

/// <summary>The jobs of one generated day, as the agents of their nodes send them: one batch per job and node, holding
/// the summary of that node's Python processes (ranks of one program share a module table, as on a real machine).</summary>
internal sealed class FacilityJobs(FacilityPopulation facility, int machineNodes, int seed)
{
    private readonly ZipfSampler _userPick = new(facility.Users.Length, 0.9);
    private int _nextJob = 3_000_000;

    /// <summary>Jobs ended so far.</summary>
    public int Jobs { get; private set; }

    /// <summary>Python processes sent so far.</summary>
    public long Processes { get; private set; }

    /// <summary>The batches of <paramref name="jobs"/> jobs ending on <paramref name="day"/>, in the order their
    /// nodes would post them, each with the time it arrives.</summary>
    public IEnumerable<(Batch Batch, DateTime ReceivedAtUtc)> Day(DateOnly day, int jobs)
    {
        var random = new Random(HashCode.Combine(seed, day.DayNumber));
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var ends = Enumerable.Range(0, jobs).Select(_ => midnight.AddSeconds(random.Next(86_400))).Order().ToArray();
        foreach (var end in ends)
        {
            int number = _nextJob++;
            var user = facility.Users[_userPick.Next(random)];
            var environment = user.Environments[number % user.Environments.Count];
            int nodes = NodeCount(random);
            // A one-node job is often a workflow of many short Python processes; an MPI job runs four ranks a node (a
            // rank a GPU).
            int perNode = nodes == 1 ? 1 + random.Next(19) : 4;
            var ended = new DateTimeOffset(end).ToUnixTimeMilliseconds();
            var started = ended - (60_000L * (5 + random.Next(240)));
            int first = random.Next(machineNodes);
            string queue = nodes >= 100 ? "prod" : nodes >= 10 ? "small" : nodes > 1 ? "preemptable" : "debug";
            for (int n = 0; n < nodes; n++)
            {
                int node = (first + n) % machineNodes;
                string host = $"x{3000 + (node / 40)}c0s{node % 40 / 4}b0n{node % 4}";
                var records = Enumerable.Range(0, perNode).Select(rank => new ProcessRecord
                {
                    Host = host, Uid = user.Uid, User = user.Name, Pid = 10_000 + rank, RecordId = $"{host}:{10_000 + rank}.{started}",
                    PythonVersion = "3.11.9", Executable = environment.Environment.Prefix + "/bin/python3.11",
                    StartedAtMs = started, EndedAtMs = ended, ImportNs = 1_000_000_000, RuntimeNs = (ended - started) * 1_000_000,
                    Environment = environment.Environment,
                    Job = new JobContext
                    {
                        JobId = $"{number}.polaris-pbs-01", Account = user.Project, Queue = queue, NodeCount = nodes,
                        Rank = nodes == 1 ? -1 : (n * perNode) + rank, Size = nodes == 1 ? 0 : nodes * perNode,
                    },
                    Modules = environment.Modules,
                    Times = environment.Times[(n + rank) % environment.Times.Length],
                    SharedObjects = environment.SharedObjects,
                });
                var batch = new Batch
                {
                    Key = $"{host}-{number}", Node = host, AgentVersion = "bench", CreatedAtMs = ended + 30_000,
                    Summaries = SummaryBuilder.Summarize(records),
                };
                Processes += perNode;
                yield return (batch, end.AddSeconds(30));
            }
            Jobs++;
        }
    }

    /// <summary>Most jobs take one node; a few take hundreds (a Polaris-sized machine: 560 nodes).</summary>
    private int NodeCount(Random random)
    {
        double p = random.NextDouble();
        int nodes = p < 0.75 ? 1 : p < 0.90 ? 2 + random.Next(3) : p < 0.98 ? 8 + random.Next(25) : p < 0.998 ? 64 + random.Next(65) : 256 + random.Next(257);
        return Math.Min(nodes, machineNodes);
    }
}
