using System.Globalization;
using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>Reads the job and MPI placement of a process from the allowlisted variables the hook passed on.</summary>
/// <remarks>PBS (with Cray PALS, as on Polaris) and Slurm name the same facts differently; where several launchers'
/// variables are present, the order below prefers the one closest to the process (PALS sets <c>PMI_RANK</c> too).</remarks>
public sealed class JobContextReader
{
    private static readonly string[] RankVariables = ["PALS_RANKID", "PMI_RANK", "OMPI_COMM_WORLD_RANK", "PMIX_RANK", "SLURM_PROCID"];
    private static readonly string[] SizeVariables = ["PMI_SIZE", "OMPI_COMM_WORLD_SIZE", "SLURM_NTASKS"];

    private readonly NodeFile _nodeFiles;

    public JobContextReader(NodeFile? nodeFiles = null)
    {
        _nodeFiles = nodeFiles ?? new NodeFile();
    }

    /// <summary><paramref name="raw"/> with job id, account, queue, node count, rank and size filled in; the variables
    /// and script are kept as given.</summary>
    /// <param name="raw">The job context as the hook reported it.</param>
    /// <param name="uid">The sender's kernel uid, whose read permission the node file must satisfy.</param>
    public JobContext Read(JobContext raw, uint uid) => TryRead(raw, uid, mayRead: true)!;

    /// <summary>Like <see cref="Read"/>; with <paramref name="mayRead"/> false, null when the job's node file was not read yet.</summary>
    public JobContext? TryRead(JobContext raw, uint uid, bool mayRead)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var variables = raw.Variables;
        int? counted = Text(variables, "PBS_NODEFILE") is { Length: > 0 } nodeFile ? _nodeFiles.TryCountNodes(nodeFile, uid, mayRead) : 0;
        if (counted is not { } nodes)
        {
            return null;
        }
        if (nodes == 0)
        {
            nodes = Math.Max(0, Number(variables, "SLURM_JOB_NUM_NODES", 0));
        }
        return raw with
        {
            JobId = Text(variables, "PBS_JOBID") ?? Text(variables, "SLURM_JOB_ID") ?? "",
            Account = Text(variables, "PBS_ACCOUNT") ?? Text(variables, "SLURM_JOB_ACCOUNT") ?? "",
            Queue = Text(variables, "PBS_QUEUE") ?? Text(variables, "SLURM_JOB_PARTITION") ?? "",
            NodeCount = nodes,
            Rank = First(variables, RankVariables, minimum: 0, otherwise: -1),
            Size = First(variables, SizeVariables, minimum: 1, otherwise: 0),
        };
    }

    // A variable set to nothing is as good as unset.
    private static string? Text(IReadOnlyDictionary<string, string> variables, string name) =>
        variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    // The first variable that holds a usable number wins; garbage in one does not hide the next.
    private static int First(IReadOnlyDictionary<string, string> variables, string[] names, int minimum, int otherwise)
    {
        foreach (var name in names)
        {
            int value = Number(variables, name, int.MinValue);
            if (value >= minimum)
            {
                return value;
            }
        }
        return otherwise;
    }

    private static int Number(IReadOnlyDictionary<string, string> variables, string name, int otherwise) =>
        Text(variables, name) is { } text && int.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : otherwise;
}
