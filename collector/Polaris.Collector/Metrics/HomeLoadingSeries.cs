using System.Globalization;
using Polaris.Collector.Jobs;
using Prometheus;

namespace Polaris.Collector.Metrics;

/// <summary>One series per running job whose processes loaded modules from home directories or the user site:
/// <c>polaris_home_loading_job_processes{pbs_job, queue, nodes}</c> (the processes that did) and
/// <c>polaris_home_loading_job_uid{pbs_job}</c> (the user, as a number, never a name).</summary>
/// <remarks>
/// A job's series goes when its summaries have been quiet for <c>homeJobQuietSeconds</c> or its accounting end record
/// arrives: job ids are the one unbounded label the collector exposes, so they live only while the job runs. The
/// label is <c>pbs_job</c>, not <c>job</c>, which Prometheus uses for the scrape job.
/// </remarks>
public sealed class HomeLoadingSeries
{
    private readonly Gauge _processes;
    private readonly Gauge _uid;
    private readonly Gauge _nodes;
    private readonly TimeSpan _quiet;
    private readonly Dictionary<string, Entry> _jobs = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public HomeLoadingSeries(MetricFactory factory, TimeSpan quiet)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _quiet = quiet;
        _processes = factory.CreateGauge("polaris_home_loading_job_processes",
            "Python processes of a running job that loaded modules from a home directory or the user site (start-up included); one series per such job, gone when the job ends or its summaries stay quiet past homeJobQuietSeconds.",
            new GaugeConfiguration { LabelNames = ["pbs_job", "queue", "nodes"] });
        _nodes = factory.CreateGauge("polaris_home_loading_job_nodes",
            "Nodes of a running job that loads modules from home directories (the accounting log's node count when known, else the job's own).",
            new GaugeConfiguration { LabelNames = ["pbs_job"] });
        _uid = factory.CreateGauge("polaris_home_loading_job_uid",
            "Kernel uid of a running job that loads modules from home directories (a number, never a name).",
            new GaugeConfiguration { LabelNames = ["pbs_job"] });
    }

    /// <summary>Jobs with a series now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _jobs.Count;
            }
        }
    }

    /// <summary>Brings a job's series up to date with its state.</summary>
    public void Update(JobState job, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_lock)
        {
            bool live = job.HomeProcesses > 0 && job.EndedUtc == null && nowUtc - job.LastSeenUtc < _quiet;
            var labels = new[] { job.Key, job.Queue, job.NodeCount.ToString(CultureInfo.InvariantCulture) };
            if (_jobs.TryGetValue(job.Key, out var entry) && (!live || !entry.Labels.AsSpan().SequenceEqual(labels)))
            {
                Remove(job.Key, entry);
            }
            if (live)
            {
                _processes.WithLabels(labels).Set(job.HomeProcesses);
                _nodes.WithLabels(job.Key).Set(job.NodeCount);
                _uid.WithLabels(job.Key).Set(job.Uid);
                _jobs[job.Key] = new Entry(labels, job.LastSeenUtc);
            }
        }
    }

    /// <summary>Removes the series of jobs quiet past the window.</summary>
    public void Expire(DateTime nowUtc)
    {
        lock (_lock)
        {
            foreach (var (key, entry) in _jobs.Where(j => nowUtc - j.Value.LastSeenUtc >= _quiet).ToArray())
            {
                Remove(key, entry);
            }
        }
    }

    private void Remove(string key, Entry entry)
    {
        _processes.RemoveLabelled(entry.Labels);
        _nodes.RemoveLabelled(key);
        _uid.RemoveLabelled(key);
        _jobs.Remove(key);
    }

    private sealed record Entry(string[] Labels, DateTime LastSeenUtc);
}
