using Polaris.Collector.Ingest;
using Polaris.Collector.Metrics;
using Polaris.Collector.Storage;

namespace Polaris.Collector.Tests;

/// <summary>A store on a folder with the metrics it counts into, as <c>serve</c> builds them.</summary>
internal sealed class TestStore : IDisposable
{
    public TestStore(string folder, CollectorOptions? options = null, Func<string, string>? domainOf = null)
    {
        options ??= new CollectorOptions();
        Metrics = new CollectorMetrics(options, new IngestBudget(options.MaxBytesInFlight));
        Store = new CollectorStore(folder, Metrics, domainOf, options.RetentionDays, maxUserNames: options.MaxUserNames);
        Store.Recover(DateTime.UtcNow, TimeSpan.FromSeconds(options.HomeJobQuietSeconds));
    }

    public CollectorStore Store { get; }

    public CollectorMetrics Metrics { get; }

    /// <summary>/metrics as the collector renders it.</summary>
    public string Text()
    {
        using var stream = new MemoryStream();
        Metrics.Registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public void Dispose() => Store.Dispose();
}
