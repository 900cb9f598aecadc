namespace Polaris.Collector.Scheduler;

/// <summary>What storing the records of one import did to jobs: the jobs it updated, the jobs it kept records of for
/// when their summaries come, and the records it found already known.</summary>
/// <remarks>Jobs are counted once each however many of their records the import holds (a start and an end), by their
/// keys, up to <see cref="MaxJobsTracked"/> distinct keys; past that a job is counted with each record that changes
/// it, so the counts of a larger import may count a job twice (and <see cref="Approximate"/> says so).</remarks>
public sealed class PbsJobTally
{
    /// <summary>Distinct job keys remembered: tens of megabytes at most, for more jobs than a site runs in a year.</summary>
    public const int MaxJobsTracked = 1_000_000;

    private readonly HashSet<string> _jobs = new(StringComparer.Ordinal);

    /// <summary>Jobs the collector had seen (their summaries) that a record changed.</summary>
    public long JobsUpdated { get; private set; }

    /// <summary>Jobs the collector has not seen, whose record is kept for when their summaries come.</summary>
    public long JobsNotSeen { get; private set; }

    /// <summary>Records that changed nothing: the store had them already, or a record that beats them.</summary>
    public long RecordsKnown { get; private set; }

    /// <summary>More than <see cref="MaxJobsTracked"/> jobs: a job may have been counted more than once.</summary>
    public bool Approximate { get; private set; }

    /// <summary>Counts a record that changed nothing.</summary>
    internal void Known() => RecordsKnown = checked(RecordsKnown + 1);

    /// <summary>Counts a record that won for its job.</summary>
    /// <param name="jobKey">The job's key.</param>
    /// <param name="seen">Whether the collector had seen the job.</param>
    internal void Took(string jobKey, bool seen)
    {
        bool first;
        if (_jobs.Count < MaxJobsTracked)
        {
            first = _jobs.Add(jobKey);
        }
        else
        {
            first = !_jobs.Contains(jobKey);
            Approximate |= first;
        }
        if (!first)
        {
            return;
        }
        if (seen)
        {
            JobsUpdated = checked(JobsUpdated + 1);
        }
        else
        {
            JobsNotSeen = checked(JobsNotSeen + 1);
        }
    }
}
