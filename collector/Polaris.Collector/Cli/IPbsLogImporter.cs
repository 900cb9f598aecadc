using Polaris.Collector.Scheduler;

namespace Polaris.Collector.Cli;

/// <summary>Where <c>import-pbs</c> imports a log: a store it opened, or a running collector's over HTTP.</summary>
internal interface IPbsLogImporter : IDisposable
{
    /// <summary>Imports the accounting log at <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be read (or, opened directly, the store cannot be written): this
    /// file is not imported, the others still are.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="StartupException">No file can be imported (the store or the collector failed).</exception>
    Task<PbsImportReport> ImportAsync(string path);
}
