using Polaris.Collector.Metrics;
using Prometheus;

namespace Polaris.Collector.Storage;

/// <summary>The store's background work, on a thread of its own: the fold (every <c>foldMilliseconds</c>), checkpoints
/// (every <c>checkpointSeconds</c>, and at once when the log passes <c>maxLogBytes</c>), retention (hourly), the month
/// roll-ups of past days and months (<see cref="Reports.RollupPeriods"/>), and the store's gauges. Stopping folds once more, so that SIGTERM leaves nothing to fold again.</summary>
public sealed class StoreMaintenance : BackgroundService
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);
    private static readonly TimeSpan PeriodsEvery = TimeSpan.FromMinutes(5);
    private readonly CollectorStore _store;
    private readonly CollectorOptions _options;
    private readonly ILogger<StoreMaintenance> _logger;
    private readonly LogPressure _pressure;
    private readonly Counter _checkpoints;
    private readonly Counter _pruned;
    private readonly Counter _failures;
    private readonly Counter _periodsBuilt;
    private readonly Counter _usesDropped;

    public StoreMaintenance(CollectorStore store, CollectorOptions options, CollectorMetrics metrics, LogPressure pressure, ILogger<StoreMaintenance> logger)
    {
        _pressure = pressure;
        ArgumentNullException.ThrowIfNull(metrics);
        _store = store;
        _options = options;
        _logger = logger;
        var f = Prometheus.Metrics.WithCustomRegistry(metrics.Registry);
        f.ExemplarBehavior = Prometheus.ExemplarBehavior.NoExemplars();
        var storeBytes = f.CreateGauge("polaris_collector_store_bytes", "Bytes of the LiteDB file.");
        var logBytes = f.CreateGauge("polaris_collector_store_log_bytes", "Bytes of LiteDB's log file, emptied by each checkpoint.");
        var lastCheckpoint = f.CreateGauge("polaris_collector_last_checkpoint_timestamp_seconds", "Unix time of the last checkpoint (0: none since start).");
        var unfolded = f.CreateGauge("polaris_collector_unfolded_summaries", "Summaries stored and counted but not yet folded into the roll-ups.");
        _checkpoints = f.CreateCounter("polaris_collector_checkpoints_total", "Checkpoints run (the log copied into the database).");
        _pruned = f.CreateCounter("polaris_collector_pruned_total", "Rows deleted past retention, by collection.", new CounterConfiguration { LabelNames = ["collection"] });
        _periodsBuilt = f.CreateCounter("polaris_collector_rollup_periods_built_total", "Past days and months whose roll-ups were bundled for reports (a period a source).");
        _usesDropped = f.CreateCounter("polaris_collector_period_uses_dropped_total", "Entries (a module, shared object or package in a domain) a past day's or month's uses refused past their bounds: made-up names by the hundred thousand.");
        _failures = f.CreateCounter("polaris_collector_maintenance_failures_total", "Folds, checkpoints, prunes or period roll-ups that failed (logged; retried).", new CounterConfiguration { LabelNames = ["task"] });
        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            storeBytes.Set(store.StoreBytes);
            logBytes.Set(store.LogBytes);
            lastCheckpoint.Set(store.LastCheckpointUtc is { } t ? new DateTimeOffset(t).ToUnixTimeMilliseconds() / 1000.0 : 0);
            unfolded.Set(store.Unfolded);
        });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var fold = TimeSpan.FromMilliseconds(_options.FoldMilliseconds);
        var lastCheckpoint = DateTime.UtcNow;
        var lastPrune = DateTime.MinValue;
        var lastPeriods = DateTime.MinValue;
        bool periodsBehind = true;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // A tick, or a commit that left the log past maxLogBytes, whichever comes first.
                using (var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    await Task.WhenAny(Task.Delay(fold, tick.Token), _pressure.WaitAsync(tick.Token)).ConfigureAwait(false);
                    await tick.CancelAsync().ConfigureAwait(false);
                }
                stoppingToken.ThrowIfCancellationRequested();
                var now = DateTime.UtcNow;
                Run("fold", () => _store.Fold());
                if (now - lastCheckpoint >= TimeSpan.FromSeconds(_options.CheckpointSeconds) || _store.LogBytes > _options.MaxLogBytes)
                {
                    Run("checkpoint", () =>
                    {
                        _store.Checkpoint(now);
                        _checkpoints.Inc(); // a failed one is counted in maintenance_failures_total instead
                    });
                    lastCheckpoint = now;
                }
                if (now - lastPrune >= PruneEvery)
                {
                    Run("prune", () =>
                    {
                        foreach (var (collection, rows) in _store.Prune(now, _options.RetentionDays, _options.RollupRetentionDays))
                        {
                            _pruned.WithLabels(collection).Inc(rows);
                        }
                    });
                    lastPrune = now;
                }
                // Half a second a tick, so that folds never wait long behind it, until every past period is built;
                // then a look every few minutes for periods a late import changed.
                if (periodsBehind || now - lastPeriods >= PeriodsEvery)
                {
                    Run("periods", () =>
                    {
                        bool failed = false;
                        int built = Reports.RollupPeriods.Build(_store, now, _options.RollupRetentionDays, TimeSpan.FromMilliseconds(500), stoppingToken,
                            dropped => _usesDropped.Inc(dropped), e =>
                            {
                                failed = true;
                                _failures.WithLabels("periods").Inc();
                                LogMessages.MaintenanceFailed(_logger, "periods", e.Message);
                            });
                        _periodsBuilt.Inc(built);
                        // A period that failed is tried again at the next look, not at every tick.
                        periodsBehind = built > 0 && !failed;
                    });
                    lastPeriods = now;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Run("fold", () => _store.Fold());
        Run("checkpoint", () => _store.Checkpoint(DateTime.UtcNow));
    }

    private void Run(string task, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is LiteDB.LiteException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            _failures.WithLabels(task).Inc();
            LogMessages.MaintenanceFailed(_logger, task, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A defect, not a store's failure: counted and logged whole, and tried again at the next tick rather than
            // stopping the collector (an unhandled exception in a background service stops the host).
            _failures.WithLabels(task).Inc();
            LogMessages.MaintenanceFailed(_logger, task, e.ToString());
        }
    }
}
