using LiteDB;
using Polaris.Collector.Scheduler;

namespace Polaris.Collector.Jobs;

/// <summary>What the collector knows of one job: from its summaries (kinds and domains counted, home loading, node
/// count, queue) and from the scheduler's accounting (node count, wall time, exit status, end).</summary>
public sealed class JobState(string key)
{
    /// <summary>The job key (<see cref="Scheduler.JobKey.Of"/>).</summary>
    public string Key { get; } = key;

    /// <summary>The <c>kind|domain</c> pairs the job was counted under in <c>polaris_jobs_total</c>.</summary>
    public HashSet<string> Counted { get; } = new(StringComparer.Ordinal);

    /// <summary>Processes that loaded a module from a home directory or the user site.</summary>
    public long HomeProcesses { get; set; }

    /// <summary>Kernel uid of the job's processes (the last summary's).</summary>
    public long Uid { get; set; } = -1;

    /// <summary>Queue, from the summaries or the accounting.</summary>
    public string Queue { get; set; } = "";

    /// <summary>Project (PBS account).</summary>
    public string Account { get; set; } = "";

    /// <summary>Nodes, as the processes saw them (the most any summary gave).</summary>
    public int Nodes { get; set; }

    /// <summary>Nodes from the accounting log (<c>Resource_List.nodect</c>); 0 when not known.</summary>
    public int AccountedNodes { get; set; }

    /// <summary>When the last summary of the job arrived.</summary>
    public DateTime LastSeenUtc { get; set; }

    /// <summary>When the accounting log says it ended; null while not known.</summary>
    public DateTime? EndedUtc { get; set; }

    /// <summary>Wall time used, from the accounting log.</summary>
    public TimeSpan? Walltime { get; set; }

    /// <summary>Exit status, from the accounting log.</summary>
    public int? ExitStatus { get; set; }

    /// <summary>The node count to show: the accounting's when known, else the summaries'.</summary>
    public int NodeCount => AccountedNodes > 0 ? AccountedNodes : Nodes;

    /// <summary>Changed since it was last stored.</summary>
    public bool Dirty { get; set; }

    /// <summary>Takes what the accounting record that won for this job (<see cref="PbsJobRecord.Supersedes"/>) says.</summary>
    /// <remarks>The accounting's own fields are the winning record's alone, and the queue and account fill only what
    /// the summaries left empty (as the summaries' queue fills only what they carry), so a job comes out the same
    /// whether its log was imported before its summaries or after.</remarks>
    public void TakeAccounting(PbsJobRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        bool ended = record.Type == PbsRecordType.End;
        AccountedNodes = record.NodeCount ?? 0;
        EndedUtc = ended ? (record.End ?? record.EventTime).UtcDateTime : null;
        Walltime = ended ? record.Walltime : null;
        ExitStatus = ended ? record.ExitStatus : null;
        Queue = Queue.Length > 0 ? Queue : record.Queue ?? "";
        Account = Account.Length > 0 ? Account : record.Account ?? record.Project ?? "";
    }

    public BsonDocument ToDocument()
    {
        var document = new BsonDocument
        {
            ["_id"] = Key,
            ["counted"] = new BsonArray(Counted.Select(c => new BsonValue(c))),
            ["home"] = HomeProcesses,
            ["uid"] = Uid,
            ["queue"] = Queue,
            ["account"] = Account,
            ["nodes"] = Nodes,
            ["pbsnodes"] = AccountedNodes,
            ["last"] = LastSeenUtc,
        };
        if (EndedUtc is { } ended)
        {
            document["ended"] = ended;
        }
        if (Walltime is { } walltime)
        {
            document["walltime"] = (long)walltime.TotalSeconds;
        }
        if (ExitStatus is { } exit)
        {
            document["exit"] = exit;
        }
        return document;
    }

    public static JobState FromDocument(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var job = new JobState(document["_id"].AsString)
        {
            HomeProcesses = document["home"].AsInt64,
            Uid = document["uid"].AsInt64,
            Queue = document["queue"].AsString,
            Account = document["account"].AsString,
            Nodes = document["nodes"].AsInt32,
            AccountedNodes = document["pbsnodes"].AsInt32,
            LastSeenUtc = document["last"].AsDateTime.ToUniversalTime(),
            EndedUtc = document["ended"].IsDateTime ? document["ended"].AsDateTime.ToUniversalTime() : null,
            Walltime = document["walltime"].IsNumber ? TimeSpan.FromSeconds(document["walltime"].AsInt64) : null,
            ExitStatus = document["exit"].IsNumber ? document["exit"].AsInt32 : null,
        };
        foreach (var counted in document["counted"].AsArray)
        {
            job.Counted.Add(counted.AsString);
        }
        return job;
    }
}
