using LiteDB;
using Polaris.Collector.Ingest;
using Polaris.Collector.Metrics;
using Polaris.Collector.Scheduler;
using Polaris.Collector.Storage;

namespace Polaris.Collector.Cli;

/// <summary>Imports logs into the store of a data folder no collector holds, opened as <c>serve</c> opens it.</summary>
internal sealed class StorePbsImporter : IPbsLogImporter
{
    private readonly CollectorStore _store;
    private readonly TimeZoneInfo _zone;

    private StorePbsImporter(CollectorStore store, TimeZoneInfo zone)
    {
        _store = store;
        _zone = zone;
    }

    /// <summary>Opens the store <paramref name="options"/> name.</summary>
    /// <exception cref="StartupException">A collector (or another import) holds the store, or it cannot be opened.</exception>
    public static StorePbsImporter Open(CollectorOptions options)
    {
        var zone = options.PbsServerTimeZone();
        var data = Path.GetFullPath(options.Data);
        // The metrics are the store's to count into; nothing serves them here, and no series of a job is live.
        var metrics = new CollectorMetrics(options, new IngestBudget(options.MaxBytesInFlight));
        try
        {
            return new StorePbsImporter(new CollectorStore(options.Data, metrics, retentionDays: options.RetentionDays, rollupRetentionDays: options.RollupRetentionDays), zone);
        }
        catch (StoreHeldException e)
        {
            throw new StartupException(
                $"a running collector (or another import) holds the store in {data}, and LiteDB's file is opened by one process at a time; "
                + $"import through the collector: {CommandLine.ProgramName} import-pbs --collector URL [--token-file FILE] FILE...", e);
        }
        catch (Exception e) when (e is LiteException or IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"cannot open the store {Path.Combine(data, CollectorStore.FileName)}: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public Task<PbsImportReport> ImportAsync(string path)
    {
        // Opened as PBS leaves its logs: it may still be appending to today's.
        using var log = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 0, FileOptions.SequentialScan);
        try
        {
            return Task.FromResult(PbsImport.Run(_store, log, _zone, DateTime.UtcNow));
        }
        catch (LiteException e)
        {
            throw new StartupException($"the store failed importing {path}: {e.Message}; what was imported before stays", e);
        }
    }

    public void Dispose() => _store.Dispose();
}
