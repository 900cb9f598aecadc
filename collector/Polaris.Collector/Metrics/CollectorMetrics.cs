using Polaris.Collector.Ingest;
using Polaris.Collector.Storage;
using Polaris.Wire;
using Prometheus;

namespace Polaris.Collector.Metrics;

/// <summary>The expose stage: what /metrics shows, in a registry of this collector's own.</summary>
/// <remarks>
/// Labels stay bounded: only library names, capped by <see cref="CollectorOptions.MaxLibraryLabels"/>;
/// users and jobs stay in the store, behind the API.
/// </remarks>
public sealed class CollectorMetrics
{
    /// <summary>Label value that libraries past the cap fold into.</summary>
    public const string OtherLibraries = "__other__";

    private readonly int _maxLibraryLabels;
    private readonly HashSet<string> _labelled = new(StringComparer.Ordinal);
    private readonly Counter _processes;
    private readonly Counter _libraryProcesses;
    private readonly Counter _batches;
    private readonly Counter _summaries;
    private readonly Counter _refusedSummaries;
    private readonly Counter _readsDenied;
    private readonly Lock _labels = new();

    public CollectorMetrics(CollectorOptions options, IngestBudget budget)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(budget);
        _maxLibraryLabels = options.MaxLibraryLabels;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _processes = factory.CreateCounter(
            "polaris_python_processes_total", "Python processes recorded.");
        _libraryProcesses = factory.CreateCounter(
            "polaris_library_processes_total", "Python processes that imported a top-level package (standard library excluded).",
            new CounterConfiguration { LabelNames = ["library"] });
        _batches = factory.CreateCounter(
            "polaris_collector_batches_total",
            "Batches received, by result: stored, duplicate (already stored; not counted again), rejected (no valid batch: 400 or 413), unauthorized, busy (past the memory budget: 503) or store_failed (503).",
            new CounterConfiguration { LabelNames = ["result"] });
        _summaries = factory.CreateCounter(
            "polaris_collector_summaries_total", "Summaries of new batches, by result: stored, or refused alone (out of bounds, malformed, too large to store).",
            new CounterConfiguration { LabelNames = ["result"] });
        _refusedSummaries = factory.CreateCounter(
            "polaris_collector_summaries_refused_total", "Summaries refused alone, by reason: malformed, out_of_bounds (SummaryBounds, counts, times, distributions) or too_large.",
            new CounterConfiguration { LabelNames = ["reason"] });
        var inFlight = factory.CreateGauge(
            "polaris_collector_ingest_bytes_in_flight", "Bytes that the batches being taken in hold of the MaxBytesInFlight budget (bodies and decompression segments).");
        Registry.AddBeforeCollectCallback(() => inFlight.Set(budget.Taken));
        _readsDenied = factory.CreateCounter(
            "polaris_collector_reads_denied_total", "Requests to read endpoints answered 401 or 403 (no or a wrong token; not from loopback with none configured).");
    }

    /// <summary>The registry /metrics serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Starts the counters from the store's totals, so a restart does not lose what was counted.</summary>
    public void Restore(StoreTotals totals)
    {
        _processes.IncTo(totals.Processes);
        foreach (var (library, processes) in totals.Libraries.OrderByDescending(l => l.Value))
        {
            Library(library).Inc(processes);
        }
    }

    /// <summary>Counts a stored or duplicate batch, and the summaries it stored and refused.</summary>
    public void Ingested(IngestResult result, IReadOnlyList<SummaryRefusal> refused)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(refused);
        if (result.Duplicate)
        {
            _batches.WithLabels("duplicate").Inc();
            return;
        }
        _batches.WithLabels("stored").Inc();
        _summaries.WithLabels("stored").Inc(result.Summaries);
        _summaries.WithLabels("refused").Inc(refused.Count);
        foreach (var refusal in refused)
        {
            _refusedSummaries.WithLabels(refusal.Kind switch
            {
                SummaryRefusalKind.Malformed => "malformed",
                SummaryRefusalKind.TooLarge => "too_large",
                _ => "out_of_bounds",
            }).Inc();
        }
        _processes.Inc(result.Processes);
        foreach (var (library, processes) in result.Libraries)
        {
            Library(library).Inc(processes);
        }
    }

    /// <summary>Counts a batch refused for its missing or wrong token.</summary>
    public void Unauthorized() => _batches.WithLabels("unauthorized").Inc();

    /// <summary>Counts a batch refused as malformed.</summary>
    public void Rejected() => _batches.WithLabels("rejected").Inc();

    /// <summary>Counts a batch turned away because the memory budget for batches in flight was spent.</summary>
    public void Busy() => _batches.WithLabels("busy").Inc();

    /// <summary>Counts a read refused by the guard.</summary>
    public void ReadDenied() => _readsDenied.Inc();

    /// <summary>Counts a batch the store failed to take (not the data's fault).</summary>
    public void StoreFailed() => _batches.WithLabels("store_failed").Inc();

    private Counter.Child Library(string name)
    {
        lock (_labels)
        {
            if (_labelled.Contains(name) || (_labelled.Count < _maxLibraryLabels && _labelled.Add(name)))
            {
                return _libraryProcesses.WithLabels(name);
            }
        }
        return _libraryProcesses.WithLabels(OtherLibraries);
    }
}
