using Polaris.Collector.Storage;

namespace Polaris.Collector.Scheduler;

/// <summary>Imports one accounting log into a store: the one code behind <c>import-pbs</c> on a store it opens and
/// <c>POST /v1/pbs</c> on a running collector's.</summary>
public static class PbsImport
{
    /// <summary>Reads <paramref name="log"/> to its end and stores its records (<see cref="CollectorStore.ImportPbs"/>);
    /// malformed lines are counted and reported, never fatal.</summary>
    /// <param name="store">The store.</param>
    /// <param name="log">The log, read from where it is; the caller disposes it.</param>
    /// <param name="serverTimeZone">The PBS server's zone (<see cref="CollectorOptions.PbsTimeZone"/>).</param>
    /// <param name="nowUtc">Now, for the home-loading series.</param>
    /// <exception cref="IOException">The log could not be read to its end; what was read before is stored.</exception>
    /// <exception cref="LiteDB.LiteException">The store failed; what was stored before stays.</exception>
    public static PbsImportReport Run(CollectorStore store, Stream log, TimeZoneInfo serverTimeZone, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(store);
        var reader = new PbsAccountingReader(log, serverTimeZone);
        var stored = store.ImportPbs(reader.ReadRecords(), nowUtc);
        return PbsImportReport.Of(reader.Summary, stored);
    }
}
