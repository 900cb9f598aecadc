namespace Polaris.Collector.Scheduler;

/// <summary>The accounting record types the collector takes, by the letter PBS writes in the record's second field.</summary>
public enum PbsRecordType
{
    /// <summary><c>S</c>: the job started (again, after a rerun: a job may have several).</summary>
    Start = 'S',

    /// <summary><c>E</c>: the job ended, with what it used and its exit status.</summary>
    End = 'E',
}
