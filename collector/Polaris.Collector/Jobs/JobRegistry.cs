using LiteDB;
using Polaris.Collector.Scheduler;
using Polaris.Collector.Storage;

namespace Polaris.Collector.Jobs;

/// <summary>The jobs seen lately, read from the store's <c>jobs</c> collection when first needed and written back by
/// the fold when changed. Used under the store's write lock only.</summary>
/// <remarks>At most <see cref="MaxCached"/> jobs are held; past it the ones not changed and seen longest ago go (they
/// are read again if they come back), so a facility's years of jobs never sit in memory. A job the collector has not
/// seen starts from its accounting record when one was imported before its summaries (the <c>pbs</c> collection).</remarks>
/// <param name="jobs">The <c>jobs</c> collection.</param>
/// <param name="pbs">The <c>pbs</c> collection: the accounting record that won for each job.</param>
public sealed class JobRegistry(ILiteCollection<BsonDocument> jobs, ILiteCollection<BsonDocument> pbs)
{
    /// <summary>Jobs held in memory at most.</summary>
    public const int MaxCached = 100_000;

    private readonly Dictionary<string, JobState> _cached = new(StringComparer.Ordinal);

    /// <summary>The jobs held, for the home-loading series.</summary>
    public IEnumerable<JobState> Cached => _cached.Values;

    /// <summary>The job of <paramref name="key"/>, from memory, the store, or new.</summary>
    public JobState Get(string key)
    {
        if (_cached.TryGetValue(key, out var job))
        {
            return job;
        }
        if (_cached.Count >= MaxCached)
        {
            Trim();
        }
        job = jobs.FindById(key) is { } document ? JobState.FromDocument(document) : FromAccounting(key);
        _cached.Add(key, job);
        return job;
    }

    /// <summary>Whether the job is held in memory.</summary>
    public bool Holds(string key) => _cached.ContainsKey(key);

    /// <summary>Applies an accounting record that won to the job's stored state, in the caller's transaction.</summary>
    /// <remarks>Only the accounting's fields change in the document: the state in memory may hold summaries not folded
    /// yet, which a crash must leave to be counted again from the store (<see cref="Storage.CollectorStore.Recover"/>).</remarks>
    /// <returns>The stored state as changed; null when no state is stored.</returns>
    public JobState? AccountStored(PbsJobRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (jobs.FindById(record.JobKey) is not { } document)
        {
            return null;
        }
        var stored = JobState.FromDocument(document);
        stored.TakeAccounting(record);
        jobs.Update(stored.ToDocument());
        return stored;
    }

    /// <summary>Applies an accounting record that won, once stored, to the job held in memory.</summary>
    /// <returns>The job held; null when none is.</returns>
    public JobState? AccountCached(PbsJobRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_cached.TryGetValue(record.JobKey, out var job))
        {
            return null;
        }
        job.TakeAccounting(record);
        return job;
    }

    /// <summary>The job of <paramref name="key"/> if memory or the store has it.</summary>
    public JobState? Find(string key) =>
        _cached.TryGetValue(key, out var job) ? job : jobs.FindById(key) is { } document ? JobState.FromDocument(document) : null;

    /// <summary>Loads the jobs that were loading from home directories at <paramref name="sinceUtc"/> or later and had not
    /// ended, after a restart.</summary>
    public void LoadHomeLoading(DateTime sinceUtc)
    {
        foreach (var document in jobs.Find(Query.And(Query.GT("home", 0L), Query.GTE("last", sinceUtc))))
        {
            var job = JobState.FromDocument(document);
            if (job.EndedUtc == null)
            {
                _cached.TryAdd(job.Key, job);
            }
        }
    }

    /// <summary>The jobs last seen from <paramref name="sinceUtc"/> to before <paramref name="untilUtc"/> whose processes
    /// loaded from home directories, as the last fold stored them, the most such processes first. Reads the collection
    /// only (LiteDB's reads are thread-safe), not the cache: safe outside the write lock.</summary>
    public IReadOnlyList<JobState> StoredHomeLoading(DateTime sinceUtc, DateTime untilUtc, int top) =>
        jobs.Find(Query.And(Query.GT("home", 0L), Query.GTE("last", sinceUtc), Query.LT("last", untilUtc)))
            .Select(JobState.FromDocument)
            .OrderByDescending(j => j.HomeProcesses).ThenBy(j => j.Key, StringComparer.Ordinal)
            .Take(top)
            .ToArray();

    /// <summary>Writes the jobs changed since the last call.</summary>
    public void Persist()
    {
        foreach (var job in _cached.Values)
        {
            if (job.Dirty)
            {
                jobs.Upsert(job.ToDocument());
                job.Dirty = false;
            }
        }
    }

    private JobState FromAccounting(string key)
    {
        var job = new JobState(key);
        if (pbs.FindById(key) is { } record)
        {
            job.TakeAccounting(PbsRecordDocument.Read(record));
        }
        return job;
    }

    private void Trim()
    {
        foreach (var job in _cached.Values.Where(j => !j.Dirty).OrderBy(j => j.LastSeenUtc).Take(MaxCached / 10).ToArray())
        {
            _cached.Remove(job.Key);
        }
    }
}
