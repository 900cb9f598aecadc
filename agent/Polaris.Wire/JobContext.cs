namespace Polaris.Wire;

/// <summary>The batch job and MPI placement of a process, from allowlisted environment variables only.</summary>
public sealed record JobContext
{
    /// <summary>Scheduler job id (<c>PBS_JOBID</c>, or Slurm's <c>SLURM_JOB_ID</c>); empty outside a job.</summary>
    public string JobId { get; init; } = "";

    /// <summary>The project charged (<c>PBS_ACCOUNT</c>, <c>SLURM_JOB_ACCOUNT</c>).</summary>
    public string Account { get; init; } = "";

    /// <summary>The queue (<c>PBS_QUEUE</c>, <c>SLURM_JOB_PARTITION</c>).</summary>
    public string Queue { get; init; } = "";

    /// <summary>Distinct nodes in <c>PBS_NODEFILE</c> (or <c>SLURM_JOB_NUM_NODES</c>); 0 when unknown.</summary>
    public int NodeCount { get; init; }

    /// <summary>MPI rank from PALS, PMI, Open MPI, MPICH or Slurm variables; -1 when not an MPI rank.</summary>
    public int Rank { get; init; } = -1;

    /// <summary>MPI world size from the same variables; 0 when unknown.</summary>
    public int Size { get; init; }

    /// <summary>The script Python ran (<c>sys.argv[0]</c> made absolute), never its arguments; empty for <c>-c</c> and the REPL.</summary>
    public string Script { get; init; } = "";

    /// <summary>The allowlisted variables exactly as the process had them; nothing else leaves the process.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();
}
