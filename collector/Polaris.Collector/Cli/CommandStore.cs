using LiteDB;
using Polaris.Collector.Ingest;
using Polaris.Collector.Metrics;
using Polaris.Collector.Scheduler;
using Polaris.Collector.Settings;
using Polaris.Collector.Storage;

namespace Polaris.Collector.Cli;

/// <summary>How the commands that work on a store (<c>import-*</c>, <c>report</c>) name and open it: as <c>serve</c>
/// does, from <c>--config FILE</c> (else POLARIS_COLLECTOR_CONFIG, else /etc/polaris-collector/collector.json), the
/// environment and <c>--data DIR</c>.</summary>
internal static class CommandStore
{
    /// <summary>The settings: the config file, the environment, then <c>--data</c>, checked.</summary>
    /// <exception cref="UsageException">A setting is wrong (from <see cref="CollectorOptions.Validate"/> and the readers).</exception>
    public static CollectorOptions Options(OptionReader cli)
    {
        ArgumentNullException.ThrowIfNull(cli);
        var environment = CollectorOptions.EnvironmentVariables();
        CollectorSettings.RefuseUnknownVariables(environment);
        var options = CollectorOptions.FromFileAndEnvironment(cli.Get("config"), environment);
        if (cli.Get("data") is { } data)
        {
            options = CollectorSettings.Apply(options, "data", SettingValue.FromText("option --data", data));
        }
        return options;
    }

    /// <summary>Opens the store <paramref name="options"/> name, and folds what a crash left unfolded, as serve would.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="whenHeld">What to do instead when a running collector holds the store (the same command through it).</param>
    /// <param name="mustExist">True for a command that only reads: a folder with no store is a mistake, not a new store.</param>
    /// <exception cref="StartupException">A collector (or another command) holds the store, or it cannot be opened.</exception>
    public static CollectorStore Open(CollectorOptions options, string whenHeld, bool mustExist = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = Path.GetFullPath(options.Data);
        if (mustExist && !File.Exists(Path.Combine(folder, CollectorStore.FileName)))
        {
            throw new StartupException($"no store in {folder}: give the collector's data folder (--data DIR or --config FILE)");
        }
        // The metrics are the store's to count into; nothing serves them here.
        var metrics = new CollectorMetrics(options, new IngestBudget(options.MaxBytesInFlight));
        CollectorStore? store = null;
        try
        {
            // The domain table as serve reads it: an import into the store directly gives its records the same domains.
            var domains = options.DomainFile.Length > 0 ? new DomainTableFile(options.DomainFile) : null;
            store = new CollectorStore(options.Data, metrics, domains == null ? null : domains.Lookup, options.RetentionDays,
                rollupRetentionDays: options.RollupRetentionDays, maxUserNames: options.MaxUserNames);
            store.Recover(DateTime.UtcNow, TimeSpan.FromSeconds(options.HomeJobQuietSeconds));
            return store;
        }
        catch (StoreHeldException e)
        {
            throw new StartupException(
                $"a running collector holds the store in {folder} (or another command does), and LiteDB's file is opened by one process at a time; {whenHeld}", e);
        }
        catch (Exception e) when (e is LiteException or IOException or UnauthorizedAccessException)
        {
            store?.Dispose();
            throw new StartupException($"cannot open the store {Path.Combine(folder, CollectorStore.FileName)}: {e.Message}", e);
        }
    }
}
