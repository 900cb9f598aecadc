namespace Polaris.Collector.Scheduler;

/// <summary>What one accounting record tells of a job: an end record, or a start record while no end record is
/// known.</summary>
/// <remarks>Fields the record does not carry are null. The same line always gives an equal record, so importing a
/// log twice gives the store the same records twice.</remarks>
/// <param name="JobKey">The job's key (<see cref="Scheduler.JobKey"/>): the id up to its first <c>.</c>.</param>
/// <param name="JobId">The id as the record spells it, e.g. <c>1234501.polaris-pbs-01</c>.</param>
/// <param name="Type">The record's type.</param>
/// <param name="EventTime">When PBS wrote the record, in UTC (the log has the server's local time).</param>
public sealed record PbsJobRecord(string JobKey, string JobId, PbsRecordType Type, DateTimeOffset EventTime)
{
    /// <summary><c>user</c>: the job's owner.</summary>
    public string? User { get; init; }

    /// <summary><c>group</c>: the owner's group the job ran as.</summary>
    public string? Group { get; init; }

    /// <summary><c>account</c>: the job's <c>Account_Name</c> (<c>qsub -A</c>), the allocation it charges; what the
    /// domain table is looked up by.</summary>
    public string? Account { get; init; }

    /// <summary><c>project</c>: the job's PBS project attribute.</summary>
    public string? Project { get; init; }

    /// <summary><c>queue</c>: the queue the job ran from.</summary>
    public string? Queue { get; init; }

    /// <summary><c>Resource_List.nodect</c>: the nodes the job was given.</summary>
    public int? NodeCount { get; init; }

    /// <summary><c>resources_used.walltime</c>: how long it ran (end records only).</summary>
    public TimeSpan? Walltime { get; init; }

    /// <summary><c>start</c>: when it started running.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary><c>end</c>: when it ended (end records only).</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary><c>Exit_status</c>: the job script's status, or a negative PBS code when it could not run (end
    /// records only).</summary>
    public int? ExitStatus { get; init; }

    /// <summary>Whether this record should replace <paramref name="known"/>, the record kept for the same job.</summary>
    /// <remarks>An end record beats a start record, since a start record is kept only until its job's end record
    /// arrives; between records of one type the later event wins. A tie keeps the known record, so importing the
    /// same log again changes nothing.</remarks>
    public bool Supersedes(PbsJobRecord known)
    {
        ArgumentNullException.ThrowIfNull(known);
        if (Type != known.Type)
        {
            return Type == PbsRecordType.End;
        }
        return EventTime > known.EventTime;
    }
}
