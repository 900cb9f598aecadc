using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Collector.Ingest;
using Polaris.Collector.Jobs;
using Polaris.Wire;
using Prometheus;

namespace Polaris.Collector.Metrics;

/// <summary>The expose stage: what /metrics shows, in a registry of this collector's own.</summary>
/// <remarks>
/// What counts summaries moves under the store's write lock, right after the batch's transaction commits, and is
/// stored by the fold under the same lock (<see cref="Persist"/>), so that a restart restores every series exactly
/// (<see cref="Restore"/>, then the summaries stored but not folded are counted again). Labels stay bounded: library
/// names through <see cref="LibraryLabels"/>, domains to <see cref="MaxDomainLabels"/>, nodes to
/// <c>maxNodeLabels</c>; users never appear in a label, job ids only in <see cref="HomeLoadingSeries"/>.
/// </remarks>
public sealed class CollectorMetrics
{
    /// <summary>Distinct domain label values; past it, domains fold into <c>other</c>.</summary>
    public const int MaxDomainLabels = 200;

    private const string AllPython = "";
    private static readonly (string Label, int Days)[] Windows = [("1d", 1), ("7d", 7), ("30d", 30)];
    private readonly PersistentCounter[] _persistent;
    private readonly PersistentCounter _processes;
    private readonly PersistentCounter _summaries;
    private readonly PersistentCounter _jobs;
    private readonly PersistentCounter _libraryProcesses;
    private readonly PersistentCounter _libraryStartup;
    private readonly PersistentCounter _moduleLoads;
    private readonly PersistentCounter _folds;
    private readonly PersistentCounter _batches;
    private readonly PersistentCounter _receivedBytes;
    private readonly PersistentCounter _summariesRefused;
    private readonly PersistentCounter _readsDenied;
    private readonly PersistentCounter _clipped;
    private readonly PersistentCounter _liveVersions;
    private readonly PersistentHistogram _importSeconds;
    private readonly Gauge _libraryUsers;
    private readonly Gauge _libraryJobs;
    private readonly Gauge _users;
    private readonly Gauge _activeJobs;
    private readonly Gauge _nodeLastBatch;
    private readonly Counter _nodeLabelsRefused;
    private readonly Counter _userNamesRefused;
    private readonly LibraryLabels _labels;
    private readonly HashSet<string> _domains = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodes = new(StringComparer.Ordinal);
    private readonly int _maxNodes;
    private readonly Dictionary<string, DistinctWindows<uint>> _usersOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DistinctWindows<string>> _jobsOf = new(StringComparer.Ordinal);
    private readonly Lock _windows = new();

    public CollectorMetrics(CollectorOptions options, IngestBudget budget)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(budget);
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var f = Prometheus.Metrics.WithCustomRegistry(Registry);
        // No exemplars: the collector has no trace to link, and looking for one (and the time) on every increment took
        // a sixth of the store writer's CPU in a burst.
        f.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        _labels = new LibraryLabels(options.LibraryAllowlist, options.MaxLibraryLabels, options.LibraryLabelMinUsers);
        _maxNodes = options.MaxNodeLabels;
        const string Startup = " Modules loaded at start-up by .pth files (setuptools' _distutils_hack, say) are not the program's imports and are counted apart, in polaris_library_startup_processes_total.";
        _processes = new(f, "polaris_python_processes_total", "Python processes recorded, by environment kind and science domain.", "environment_kind", "domain");
        _summaries = new(f, "polaris_summaries_total", "Summaries stored (the processes of one job on one node that share an environment and script), by environment kind and domain.", "environment_kind", "domain");
        _jobs = new(f, "polaris_jobs_total", "Jobs seen running Python, each counted once per environment kind and domain by this collector (a job on two collectors counts on both).", "environment_kind", "domain");
        _libraryProcesses = new(f, "polaris_library_processes_total", "Python processes whose program imported the library (a top-level package; standard library excluded), by environment kind and domain." + Startup, "library", "environment_kind", "domain");
        _libraryStartup = new(f, "polaris_library_startup_processes_total", "Python processes that had the library only because a .pth file loaded it at start-up, not by the program's import.", "library");
        _moduleLoads = new(f, "polaris_library_module_loads_total", "Modules of the library loaded, one per module and process, by where the file lies (home, user-site, project, base-env, custom-env, venv, system, cwd, other, unknown).", "library", "origin");
        _folds = new(f, "polaris_collector_library_folds_total", "Library counts folded into library=\"other\" because the library has no label of its own (label budget: libraryAllowlist, libraryLabelMinUsers, maxLibraryLabels).");
        _batches = new(f, "polaris_collector_batches_total", "Batches received, by result: stored, duplicate (already stored; not counted again), rejected (no valid batch: 400 or 413), reserved_node (an agent's batch from a node named as the importers' import-*: 400), unauthorized, busy (past the memory budget: 503) or store_failed (503).", "result");
        _receivedBytes = new(f, "polaris_collector_received_bytes_total", "Compressed bytes of the batches stored.");
        _summariesRefused = new(f, "polaris_collector_summaries_refused_total", "Summaries refused alone (the rest of their batch stored), by reason: malformed, out_of_bounds (SummaryBounds, counts, times), too_large.", "reason");
        _readsDenied = new(f, "polaris_collector_reads_denied_total", "Requests to read endpoints answered 401 or 403 (no or a wrong token; not from loopback with none configured).");
        _clipped = new(f, "polaris_collector_summaries_clipped_total", "Summaries stored with a value brought within bounds, by reason: start_time (a start outside the retention window or more than a day ahead: counted on the day it arrived), job_id (a job id no job key can be made of: past 128 bytes, a control character; counted outside any job).", "reason");
        _liveVersions = new(f, "polaris_collector_live_versions_total", "Versions of live summaries (of jobs still running) received, by result: counted (what they added was counted) or stale (an older or repeated version of one counted already: nothing counted).", "result");
        _persistent = [_liveVersions, _clipped, _processes, _summaries, _jobs, _libraryProcesses, _libraryStartup, _moduleLoads, _folds, _batches, _receivedBytes, _summariesRefused, _readsDenied];
        _importSeconds = new(f, "polaris_library_import_duration_seconds", "Time to import the library's top-level package, with the imports it caused, per process that timed it.", "library");
        _libraryUsers = f.CreateGauge("polaris_library_users", "Distinct users whose programs imported the library over the window (1d: today, UTC; 7d, 30d: with the days before). Does not add up across collectors.", new GaugeConfiguration { LabelNames = ["library", "window"] });
        _libraryJobs = f.CreateGauge("polaris_library_jobs", "Distinct jobs whose programs imported the library over the window. Does not add up across collectors.", new GaugeConfiguration { LabelNames = ["library", "window"] });
        _users = f.CreateGauge("polaris_users", "Distinct users who ran Python over the window. Does not add up across collectors.", new GaugeConfiguration { LabelNames = ["window"] });
        _activeJobs = f.CreateGauge("polaris_active_jobs", "Distinct jobs that ran Python over the window. Does not add up across collectors.", new GaugeConfiguration { LabelNames = ["window"] });
        _nodeLastBatch = f.CreateGauge("polaris_collector_node_last_batch_timestamp_seconds", "Unix time of the last batch stored from each node (alert on nodes whose agent went silent).", new GaugeConfiguration { LabelNames = ["node"] });
        _userNamesRefused = f.CreateCounter("polaris_collector_user_names_refused_total", "User name bindings the users directory refused, by reason: conflict (a name shown with another uid than its first, or a uid with another name than its first: ignored), full (maxUserNames entries: an imported name counts under one number for all such).", "reason");
        _nodeLabelsRefused = f.CreateCounter("polaris_collector_node_labels_refused_total", "Batches from nodes past maxNodeLabels, whose last-batch time is not exposed.");
        HomeLoading = new HomeLoadingSeries(f, TimeSpan.FromSeconds(options.HomeJobQuietSeconds));
        var labelCount = f.CreateGauge("polaris_collector_library_labels", "Libraries with a library label of their own (at most maxLibraryLabels).");
        var inFlight = f.CreateGauge("polaris_collector_ingest_bytes_in_flight", "Bytes that the batches being taken in hold of the MaxBytesInFlight budget (bodies and decompression segments).");
        f.CreateGauge("polaris_collector_build_info", "The collector's version, as a label; the value is 1.", new GaugeConfiguration { LabelNames = ["version"] })
            .WithLabels(CollectorInfo.Version).Set(1);
        Registry.AddBeforeCollectCallback(() =>
        {
            inFlight.Set(budget.Taken);
            labelCount.Set(_labels.Count);
            HomeLoading.Expire(DateTime.UtcNow);
            UpdateWindows(DateTime.UtcNow);
        });
    }

    /// <summary>The registry /metrics serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>The per-job home-loading series.</summary>
    public HomeLoadingSeries HomeLoading { get; }

    /// <summary>The library label budget.</summary>
    public LibraryLabels Labels => _labels;

    /// <summary>Counts one stored summary. Called under the store's write lock, in the order summaries were stored.</summary>
    /// <param name="facts">What the summary counts (for a later version of a live summary, what it adds).</param>
    /// <param name="job">Its job's state, null outside a job.</param>
    /// <param name="nowUtc">When it was received.</param>
    /// <param name="first">False for a later version of a live summary, already counted as a summary.</param>
    public void Count(SummaryFacts facts, JobState? job, DateTime nowUtc, bool first = true) =>
        Count([new CountedSummary(facts, job, nowUtc, first)]);

    /// <summary>Counts the summaries one commit stored, in the order they were stored. Called under the store's write
    /// lock. Their libraries are added up per library, user, job, day, kind and domain first, and each sum counted once
    /// (<see cref="LibraryCountGroup"/>): a library's label is decided for the sum, in the order the sums first
    /// appeared.</summary>
    public void Count(IReadOnlyList<CountedSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var groups = new Dictionary<LibraryCountGroup.Key, LibraryCountGroup>();
        var order = new List<LibraryCountGroup>();
        foreach (var (facts, job, nowUtc, first) in summaries)
        {
            string kind = facts.Kind, domain = Domain(facts.Domain);
            CountSummary(facts, job, nowUtc, first, kind, domain);
            int day = Days.Number(facts.Day);
            int today = Days.Number(Days.Of(nowUtc));
            foreach (var library in facts.Libraries)
            {
                var key = new LibraryCountGroup.Key(library.Name, AgentUid(facts), facts.JobKey, day, today, kind, domain);
                if (!groups.TryGetValue(key, out var group))
                {
                    group = new LibraryCountGroup(key);
                    groups.Add(key, group);
                    order.Add(group);
                }
                group.Add(library);
            }
        }
        foreach (var group in order)
        {
            CountLibrary(group);
        }
    }

    private void CountSummary(SummaryFacts facts, JobState? job, DateTime nowUtc, bool first, string kind, string domain)
    {
        _processes.Inc(facts.Processes, kind, domain);
        if (first)
        {
            _summaries.Inc(1, kind, domain);
        }
        if (job != null)
        {
            if (job.Counted.Add(kind + "|" + domain))
            {
                _jobs.Inc(1, kind, domain);
            }
            job.LastSeenUtc = nowUtc;
            job.Uid = facts.Uid;
            job.Queue = facts.Queue.Length > 0 ? facts.Queue : job.Queue;
            job.Nodes = Math.Max(job.Nodes, facts.Nodes);
            job.HomeProcesses += facts.HomeProcesses;
            job.Dirty = true;
            if (job.HomeProcesses > 0)
            {
                HomeLoading.Update(job, nowUtc);
            }
        }
        lock (_windows)
        {
            See(AllPython, AgentUid(facts), facts.JobKey, Days.Number(facts.Day));
        }
    }

    private void CountLibrary(LibraryCountGroup group)
    {
        var (name, uid, jobKey, day, today, kind, domain) = group.Of;
        int users;
        lock (_windows)
        {
            if (group.Processes > 0)
            {
                See(name, uid, jobKey, day);
            }
            users = _usersOf.TryGetValue(name, out var u) ? u.Within(today, DistinctWindows<uint>.MaxDays) : 0;
        }
        var label = _labels.Of(name, users, uid);
        if (label == LibraryLabels.Other)
        {
            _folds.Inc(group.Summaries);
        }
        _libraryProcesses.Inc(group.Processes, label, kind, domain);
        _libraryStartup.Inc(group.StartupProcesses, label);
        for (int origin = 0; origin < group.OriginLoads.Length; origin++)
        {
            long loads = group.OriginLoads[origin];
            if (loads > 0)
            {
                _moduleLoads.Inc(loads, label, origin == 0 ? "unknown" : ((Origin)origin).Name());
            }
        }
        _importSeconds.Add(label, group.ImportNs);
    }

    /// <summary>Counts a batch stored (or a duplicate), its bytes, its node, and the summaries refused.</summary>
    public void Batch(bool duplicate, string node, long bytes, IReadOnlyList<SummaryRefusal> refused, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(refused);
        _batches.Inc(1, duplicate ? "duplicate" : "stored");
        if (duplicate)
        {
            return;
        }
        _receivedBytes.Inc(bytes);
        foreach (var refusal in refused)
        {
            _summariesRefused.Inc(1, refusal.Kind switch
            {
                SummaryRefusalKind.Malformed => "malformed",
                SummaryRefusalKind.TooLarge => "too_large",
                _ => "out_of_bounds",
            });
        }
        if (!AdmitNode(node))
        {
            _nodeLabelsRefused.Inc();
            return;
        }
        _nodeLastBatch.WithLabels(node).Set(new DateTimeOffset(nowUtc).ToUnixTimeMilliseconds() / 1000.0);
    }

    /// <summary>Counts later versions of live summaries: those whose additions were counted, and stale ones.</summary>
    public void LiveVersions(int counted, int stale)
    {
        _liveVersions.Inc(counted, "counted");
        _liveVersions.Inc(stale, "stale");
    }

    /// <summary>Counts summaries stored with a value clipped.</summary>
    public void Clipped(string reason, int summaries) => _clipped.Inc(summaries, reason);

    /// <summary>Counts a batch refused for its missing or wrong token.</summary>
    public void Unauthorized() => _batches.Inc(1, "unauthorized");

    /// <summary>Counts a batch refused as malformed.</summary>
    public void Rejected() => _batches.Inc(1, "rejected");

    /// <summary>Counts a user name binding the users directory refused (<c>conflict</c> or <c>full</c>).</summary>
    public void UserNameRefused(string reason) => _userNamesRefused.WithLabels(reason).Inc();

    /// <summary>Counts an agent's batch refused for its node, which names an importer's (<c>import-*</c>).</summary>
    public void ReservedNode() => _batches.Inc(1, "reserved_node");

    /// <summary>Counts a batch turned away because the memory budget for batches in flight was spent.</summary>
    public void Busy() => _batches.Inc(1, "busy");

    /// <summary>Counts a read refused by the guard.</summary>
    public void ReadDenied() => _readsDenied.Inc(1);

    /// <summary>Counts a batch the store failed to take (not the data's fault).</summary>
    public void StoreFailed() => _batches.Inc(1, "store_failed");

    /// <summary>The value of a counter series, for tests.</summary>
    internal double Value(string metric, params string[] labels) =>
        _persistent.First(c => c.Name == metric).Value(labels);

    /// <summary>Notes that a node posted, after a restart (its last batch time from the store).</summary>
    public void RestoreNode(string node, DateTime lastUtc)
    {
        if (AdmitNode(node))
        {
            _nodeLastBatch.WithLabels(node).Set(new DateTimeOffset(lastUtc).ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    /// <summary>True when <paramref name="node"/> has a <c>node</c> label.</summary>
    public bool HasNodeLabel(string node)
    {
        lock (_nodes)
        {
            return _nodes.Contains(node);
        }
    }

    /// <summary>True when <paramref name="node"/> has, or may now take, a <c>node</c> label within <c>maxNodeLabels</c>.</summary>
    private bool AdmitNode(string node)
    {
        lock (_nodes)
        {
            return _nodes.Contains(node) || (_nodes.Count < _maxNodes && _nodes.Add(node));
        }
    }

    /// <summary>Notes a day's distinct users and jobs of a library from a roll-up, after a restart.</summary>
    public void RestoreWindow(string library, int day, IEnumerable<uint> users, IEnumerable<string> jobs)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(jobs);
        int number = Days.Number(day);
        lock (_windows)
        {
            var u = UsersOf(library);
            foreach (var uid in users)
            {
                u.See(uid, number);
            }
            var j = JobsOf(library);
            foreach (var job in jobs)
            {
                j.See(job, number);
            }
        }
    }

    /// <summary>Forgets the users and jobs last seen before the longest window that ends on the day of
    /// <paramref name="nowUtc"/>, and the libraries left with none. Called by retention, under the store's write lock
    /// (the label set is read here and written by <see cref="Count(IReadOnlyList{CountedSummary})"/>).</summary>
    /// <remarks>No window counts them any more, so every gauge keeps its value; without this a collector that runs
    /// for years would hold every user and job it ever saw, and every library name. A library forgotten here that has a
    /// label keeps its series, at 0, as <see cref="UpdateWindows"/> would have set them.</remarks>
    public void ForgetPastWindows(DateTime nowUtc)
    {
        int first = Days.Number(Days.Of(nowUtc)) - DistinctWindows<uint>.MaxDays + 1;
        lock (_windows)
        {
            foreach (var (library, users) in _usersOf.ToArray())
            {
                users.Forget(first);
                var jobs = _jobsOf.GetValueOrDefault(library);
                jobs?.Forget(first);
                if (users.Count > 0 || jobs?.Count > 0)
                {
                    continue;
                }
                _usersOf.Remove(library);
                _jobsOf.Remove(library);
                if (library.Length > 0 && _labels.Has(library))
                {
                    foreach (var (label, _) in Windows)
                    {
                        _libraryUsers.WithLabels(library, label).Set(0);
                        _libraryJobs.WithLabels(library, label).Set(0);
                    }
                }
            }
        }
    }

    /// <summary>Users and jobs held for the distinct windows, over all libraries (for tests: the memory they take).</summary>
    internal int WindowSubjects()
    {
        lock (_windows)
        {
            return _usersOf.Values.Sum(w => w.Count) + _jobsOf.Values.Sum(w => w.Count);
        }
    }

    /// <summary>Writes every series changed since the last call, and the label set; under the store's write lock, in
    /// the fold's transaction.</summary>
    public void Persist(ILiteCollection<BsonDocument> series, ILiteCollection<BsonDocument> meta)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(meta);
        foreach (var counter in _persistent)
        {
            counter.Persist(series);
        }
        _importSeconds.Persist(series);
        if (_labels.Changed)
        {
            meta.Upsert(new BsonDocument { ["_id"] = "library_labels", ["names"] = new BsonArray(_labels.TakeAdmitted().Select(n => new BsonArray { n.Key, n.Value })) });
        }
    }

    /// <summary>Sets every series from the store, at start.</summary>
    public void Restore(ILiteCollection<BsonDocument> series, ILiteCollection<BsonDocument> meta)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(meta);
        if (meta.FindById("library_labels") is { } labels)
        {
            foreach (var entry in labels["names"].AsArray)
            {
                _labels.Restore(entry[0].AsString, entry[1].AsInt64);
            }
            _labels.TakeAdmitted();
        }
        foreach (var counter in _persistent)
        {
            counter.Restore(series);
        }
        _importSeconds.Restore(series);
    }

    private string Domain(string domain)
    {
        lock (_domains)
        {
            if (_domains.Contains(domain) || (_domains.Count < MaxDomainLabels && _domains.Add(domain)))
            {
                return domain;
            }
        }
        return "other";
    }

    /// <summary>The uid of an agent's summary: the metrics count only those (the store keeps imported ones apart).</summary>
    private static uint AgentUid(SummaryFacts facts) =>
        facts.Source == Polaris.Wire.RecordSource.Agent
            ? (uint)facts.Uid
            : throw new ArgumentException($"an imported ({facts.Source}) summary reached the metrics", nameof(facts));

    private void See(string library, uint uid, string job, int day)
    {
        UsersOf(library).See(uid, day);
        if (job.Length > 0)
        {
            JobsOf(library).See(job, day);
        }
    }

    private DistinctWindows<uint> UsersOf(string library) =>
        _usersOf.TryGetValue(library, out var w) ? w : _usersOf[library] = new DistinctWindows<uint>();

    private DistinctWindows<string> JobsOf(string library) =>
        _jobsOf.TryGetValue(library, out var w) ? w : _jobsOf[library] = new DistinctWindows<string>();

    private void UpdateWindows(DateTime nowUtc)
    {
        int today = Days.Number(Days.Of(nowUtc));
        lock (_windows)
        {
            foreach (var (label, days) in Windows)
            {
                _users.WithLabels(label).Set(_usersOf.TryGetValue(AllPython, out var u) ? u.Within(today, days) : 0);
                _activeJobs.WithLabels(label).Set(_jobsOf.TryGetValue(AllPython, out var j) ? j.Within(today, days) : 0);
            }
            foreach (var (library, users) in _usersOf)
            {
                if (library.Length == 0 || !_labels.Has(library))
                {
                    continue;
                }
                var jobs = _jobsOf.GetValueOrDefault(library);
                foreach (var (label, days) in Windows)
                {
                    _libraryUsers.WithLabels(library, label).Set(users.Within(today, days));
                    _libraryJobs.WithLabels(library, label).Set(jobs?.Within(today, days) ?? 0);
                }
            }
        }
    }
}
