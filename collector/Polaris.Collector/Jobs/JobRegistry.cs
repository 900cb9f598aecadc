using LiteDB;

namespace Polaris.Collector.Jobs;

/// <summary>The jobs seen lately, read from the store's <c>jobs</c> collection when first needed and written back by
/// the fold when changed. Used under the store's write lock only.</summary>
/// <remarks>At most <see cref="MaxCached"/> jobs are held; past it the ones not changed and seen longest ago go (they
/// are read again if they come back), so a facility's years of jobs never sit in memory.</remarks>
public sealed class JobRegistry(ILiteCollection<BsonDocument> jobs)
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
        job = jobs.FindById(key) is { } document ? JobState.FromDocument(document) : new JobState(key);
        _cached.Add(key, job);
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

    private void Trim()
    {
        foreach (var job in _cached.Values.Where(j => !j.Dirty).OrderBy(j => j.LastSeenUtc).Take(MaxCached / 10).ToArray())
        {
            _cached.Remove(job.Key);
        }
    }
}
