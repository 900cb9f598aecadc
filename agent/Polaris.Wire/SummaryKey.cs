namespace Polaris.Wire;

/// <summary>What makes records merge into one summary: the same node, user, job, environment, interpreter and
/// script, and the same launch: one run of an MPI launcher, or no MPI at all. Outside any job the job id is empty, so
/// one user's processes of one program merge the same way.</summary>
/// <param name="Host">The node.</param>
/// <param name="Uid">The records' owner.</param>
/// <param name="JobId">The batch job; empty outside one.</param>
/// <param name="Prefix">The environment.</param>
/// <param name="Executable">The interpreter.</param>
/// <param name="Script">The script; empty for <c>-c</c> and the REPL.</param>
/// <param name="Launch">The launcher's id of one launch (<see cref="LaunchVariables"/>); empty when none was set.</param>
/// <param name="MpiRank">True for an MPI rank: a rank and a plain process never share a summary, whose job context
/// (rank, world size) is its first member's.</param>
public readonly record struct SummaryKey(string Host, uint Uid, string JobId, string Prefix, string Executable, string Script, string Launch = "", bool MpiRank = false)
{
    /// <summary>Variables that name one launch of an MPI program: Open MPI's mpiexec sets <c>PMIX_NAMESPACE</c> per
    /// launch, Cray PALS <c>PALS_APID</c>, Slurm <c>SLURM_STEP_ID</c> (with the job id). The first one set wins.</summary>
    public static IReadOnlyList<string> LaunchVariables { get; } = ["PMIX_NAMESPACE", "PALS_APID", "SLURM_STEP_ID"];

    public static SummaryKey Of(ProcessRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Host, record.Uid, record.Job.JobId, record.Environment.Prefix, record.Executable, record.Job.Script,
            LaunchOf(record.Job.Variables), record.Job.Rank >= 0);
    }

    private static string LaunchOf(IReadOnlyDictionary<string, string> variables)
    {
        foreach (var name in LaunchVariables)
        {
            if (variables.TryGetValue(name, out var value) && value.Length > 0)
            {
                return value;
            }
        }
        return "";
    }
}
