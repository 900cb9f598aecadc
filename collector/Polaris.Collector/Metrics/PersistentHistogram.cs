using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Collector.Storage;
using Prometheus;

namespace Polaris.Collector.Metrics;

/// <summary>A histogram of import times, in seconds, per label value, fed with the wire's exact power-of-two buckets
/// and kept in the store so that a restart restores every bucket and the sum.</summary>
/// <remarks>
/// The bounds are powers of four nanoseconds (4.1 µs to 17 s): every wire bucket [2^b, 2^(b+1)) lies wholly under
/// one bound, so the exposed buckets are exact, not interpolated. Each wire bucket is observed at one value inside
/// it, the same fraction of the way across in every bucket, chosen so that the observed values add up to the
/// distribution's true sum.
/// </remarks>
public sealed class PersistentHistogram
{
    private static readonly double[] Bounds = Enumerable.Range(0, 12).Select(k => Math.Pow(2, 12 + (2 * k)) / 1e9).ToArray();
    private readonly Histogram _histogram;
    private readonly Dictionary<string, (Histogram.Child Child, ImportHistogram Total)> _series = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);

    public PersistentHistogram(MetricFactory factory, string name, string help, string label)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Name = name;
        _histogram = factory.CreateHistogram(name, help, new HistogramConfiguration { LabelNames = [label], Buckets = Bounds });
    }

    /// <summary>The metric's name.</summary>
    public string Name { get; }

    /// <summary>Adds a histogram of ns to the series of <paramref name="label"/>.</summary>
    public void Add(string label, ImportHistogram added)
    {
        ArgumentNullException.ThrowIfNull(added);
        if (added.Count == 0)
        {
            return;
        }
        if (!_series.TryGetValue(label, out var series))
        {
            series = (_histogram.WithLabels(label), new ImportHistogram());
            _series.Add(label, series);
        }
        series.Total.Add(added);
        Observe(series.Child, added);
        _dirty.Add(label);
    }

    /// <summary>The total of a series, for tests.</summary>
    public ImportHistogram? Total(string label) => _series.TryGetValue(label, out var s) ? s.Total : null;

    /// <summary>Writes the series changed since the last call.</summary>
    public void Persist(ILiteCollection<BsonDocument> collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        foreach (var label in _dirty)
        {
            collection.Upsert(new BsonDocument
            {
                ["_id"] = SeriesKey.Of(Name, [label]),
                ["m"] = Name,
                ["l"] = new BsonArray { label },
                ["h"] = FactsDocument.Histogram(_series[label].Total),
            });
        }
        _dirty.Clear();
    }

    /// <summary>Sets the series from the store, after a restart.</summary>
    public void Restore(ILiteCollection<BsonDocument> collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        foreach (var document in collection.Find(Query.EQ("m", Name)))
        {
            Add(document["l"].AsArray[0].AsString, FactsDocument.ReadHistogram(document["h"].AsDocument));
        }
        _dirty.Clear();
    }

    private static void Observe(Histogram.Child child, ImportHistogram added)
    {
        var buckets = added.Buckets;
        // Lowest and highest sums the buckets allow; the fraction across each bucket that gives the true sum.
        double low = 0, high = 0;
        for (int b = 0; b < buckets.Length; b++)
        {
            if (buckets[b] > 0)
            {
                low += buckets[b] * Lower(b);
                high += buckets[b] * Upper(b);
            }
        }
        double fraction = high > low ? Math.Clamp((added.Sum - low) / (high - low), 0, 1) : 0;
        for (int b = 0; b < buckets.Length; b++)
        {
            if (buckets[b] > 0)
            {
                child.Observe((Lower(b) + (fraction * (Upper(b) - Lower(b)))) / 1e9, buckets[b]);
            }
        }
    }

    // Bucket b holds [2^b, 2^(b+1)) ns, bucket 0 also 0; the upper end stays inside the bucket. Worked out once: this
    // runs for every library of every commit group on the store's writer thread.
    private static readonly double[] Lowers = [.. Enumerable.Range(0, ImportHistogram.BucketCount).Select(b => b == 0 ? 0 : Math.Pow(2, b))];
    private static readonly double[] Uppers = [.. Enumerable.Range(0, ImportHistogram.BucketCount).Select(b => Math.Pow(2, b + 1) - 1)];

    private static double Lower(int b) => Lowers[b];

    private static double Upper(int b) => Uppers[b];
}
