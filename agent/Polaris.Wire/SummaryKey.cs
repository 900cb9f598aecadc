namespace Polaris.Wire;

/// <summary>What makes records merge into one summary: the same node, user, job, environment, interpreter and
/// script. Outside any job the job id is empty, so one user's processes of one program merge the same way.</summary>
public readonly record struct SummaryKey(string Host, uint Uid, string JobId, string Prefix, string Executable, string Script)
{
    public static SummaryKey Of(ProcessRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Host, record.Uid, record.Job.JobId, record.Environment.Prefix, record.Executable, record.Job.Script);
    }
}
