using System.IO.Hashing;
using System.Text;
using Polaris.Wire;

namespace Polaris.Collector.Import;

/// <summary>Turns imported processes into the summaries the collector stores (docs/analysis.md, "One model for three
/// sources"): one summary per process, built by the agent's own <see cref="SummaryBuilder"/>, its files given origins
/// by the same rules as the agent's (<see cref="OriginRules"/>, without the disk), and batched for the store.</summary>
/// <remarks>
/// Each summary is a one-version live summary (<c>sid</c> from the record's identity, <c>ver</c> 1, final), posted from
/// the node <see cref="NodeOf"/> names: the store keeps per node and sid the version it counted, so a record imported
/// again, in whatever batch, is a duplicate (as long as the store keeps that state: <c>retentionDays</c>).
/// </remarks>
public sealed class ImportedSummaries(OriginRules rules)
{
    /// <summary>Summaries in one batch: a few hundred keeps a batch far below the collector's size limits.</summary>
    public const int BatchSize = 200;

    /// <summary>How the nodes of <see cref="NodeOf"/> start; <c>POST /v1/batches</c> refuses an agent's batch from such a node.</summary>
    public const string NodePrefix = "import-";

    /// <summary>The node an import's batches come from: a source's records share one live-summary namespace.</summary>
    public static string NodeOf(RecordSource source) => NodePrefix + source.Name();

    /// <summary>The summary of one imported process.</summary>
    public ProcessSummary Of(ImportedProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        long start = process.Start.ToUnixTimeMilliseconds();
        var record = new ProcessRecord
        {
            RecordId = $"{process.SourceName}:{process.Identity}",
            Host = process.Host,
            Uid = 0, // the tools know names only: the store numbers the user (UserDirectory)
            User = process.User,
            Pid = 0,
            Executable = process.Executable,
            StartedAtMs = start,
            EndedAtMs = start,
            WorkingDirectory = process.WorkingDirectory,
            Modules = [.. process.Modules.Select(m => m with { Origin = rules.Classify(m.File) })],
            Times = [.. process.Modules.Select(_ => new ImportTime(0, 0))],
            SharedObjects = [.. process.SharedObjects.Select(s => s with { Origin = rules.Classify(s.Path) })],
            Environment = new PythonEnvironment { Kind = KindOf(process.Executable), Prefix = PrefixOf(process.Executable) },
            Job = new JobContext
            {
                JobId = process.JobId, Account = process.Account, Queue = process.Queue, NodeCount = process.NodeCount,
                Rank = process.Rank, Variables = process.Variables,
            },
            Clipped = process.Clips,
        };
        var summary = SummaryBuilder.Summarize([record]).Single();
        return summary with { Source = process.Source, SummaryId = SummaryIdOf(process), Version = 1, Final = true };
    }

    /// <summary>The processes as batches of <see cref="BatchSize"/> summaries, keyed by what they hold.</summary>
    public IEnumerable<Batch> Batches(IEnumerable<ImportedProcess> processes, RecordSource source)
    {
        ArgumentNullException.ThrowIfNull(processes);
        var summaries = new List<ProcessSummary>(BatchSize);
        foreach (var process in processes)
        {
            summaries.Add(Of(process));
            if (summaries.Count == BatchSize)
            {
                yield return BatchOf(summaries, source);
                summaries = new List<ProcessSummary>(BatchSize);
            }
        }
        if (summaries.Count > 0)
        {
            yield return BatchOf(summaries, source);
        }
    }

    private static Batch BatchOf(List<ProcessSummary> summaries, RecordSource source)
    {
        // The same records give the same key (a retried post is a duplicate), other records another.
        var hash = new XxHash128();
        foreach (var summary in summaries)
        {
            hash.Append(Encoding.UTF8.GetBytes(summary.SummaryId!));
        }
        return new Batch
        {
            Key = $"{NodeOf(source)}-{Convert.ToHexStringLower(hash.GetCurrentHash())}",
            Node = NodeOf(source),
            AgentVersion = "polaris-collector " + CollectorInfo.Version,
            CreatedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Summaries = summaries,
        };
    }

    // 32 hex digits of the identity's hash: within the wire's sid alphabet and length whatever the tool wrote.
    private static string SummaryIdOf(ImportedProcess process) =>
        $"{process.SourceName[0]}.{Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(process.Identity)))}";

    /// <summary>The environment an interpreter's path shows without the disk: its prefix's origin.</summary>
    private EnvironmentKind KindOf(string executable) => rules.Classify(executable) switch
    {
        Origin.BaseEnv => EnvironmentKind.BaseEnv,
        Origin.CustomEnv => EnvironmentKind.CondaEnv,
        Origin.Venv => EnvironmentKind.Venv,
        Origin.System => EnvironmentKind.SystemPython,
        Origin.Unknown => EnvironmentKind.Unknown,
        _ => EnvironmentKind.Other,
    };

    // PREFIX/bin/python3 -> PREFIX
    private static string PrefixOf(string executable) =>
        Path.GetDirectoryName(Path.GetDirectoryName(executable)) ?? "";
}
