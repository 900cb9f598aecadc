using Polaris.Wire;

namespace Polaris.Collector.Tests;

/// <summary>Summaries as the daemon makes them (its own <see cref="SummaryBuilder"/>), for store and metric tests.</summary>
internal static class SummaryFixtures
{
    /// <summary>A job's summary from one node: <paramref name="ranks"/> processes that imported <paramref name="modules"/>
    /// (each <c>name</c> or <c>name@origin</c>), started at <paramref name="startUtc"/>.</summary>
    public static ProcessSummary Job(string node, string jobId, uint uid, int ranks, DateTime startUtc, string[] modules, EnvironmentKind kind = EnvironmentKind.BaseEnv, string account = "proj", int nodes = 1, string queue = "prod") =>
        SummaryBuilder.Summarize(Enumerable.Range(0, ranks).Select(rank => new ProcessRecord
        {
            Host = node, Uid = uid, User = "user" + uid, Pid = 1000 + rank,
            RecordId = $"{node}:{1000 + rank}.{startUtc.Ticks}",
            StartedAtMs = new DateTimeOffset(startUtc).ToUnixTimeMilliseconds(),
            EndedAtMs = new DateTimeOffset(startUtc).ToUnixTimeMilliseconds() + 1000,
            Environment = new PythonEnvironment { Kind = kind, Prefix = "/opt/conda" },
            Job = new JobContext { JobId = jobId, Account = account, Queue = queue, NodeCount = nodes, Rank = rank, Size = ranks },
            Modules = modules.Select(Module).ToArray(),
            Times = modules.Select((_, i) => new ImportTime(1_000_000L * (i + 1), 1_000_000L * (i + 1))).ToArray(),
        })).Single();

    public static Batch BatchOf(string key, string node, params ProcessSummary[] summaries) => new()
    {
        Key = key,
        Node = node,
        CreatedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        Summaries = summaries,
    };

    private static ModuleImport Module(string spec)
    {
        var parts = spec.Split('@');
        var origin = parts.Length > 1 ? WireNames.ParseOrigin(parts[1]) : Origin.BaseEnv;
        return new ModuleImport(parts[0], $"/opt/conda/lib/python3.11/site-packages/{parts[0].Replace('.', '/')}.py") { Origin = origin };
    }
}
