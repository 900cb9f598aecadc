using LiteDB;
using Prometheus;

namespace Polaris.Collector.Metrics;

/// <summary>A labelled counter whose series are kept in the store (<c>series</c> collection), so that a restart
/// starts each one where it was.</summary>
/// <remarks>The series that count summaries change under the store's write lock (ingest), and are written by the fold
/// under it too, in the same transaction as the fold's watermark: what is stored is exactly what the folded summaries
/// counted. Counters of refused requests change outside it: they have a lock of their own.</remarks>
public sealed class PersistentCounter
{
    private readonly Counter _counter;
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public PersistentCounter(MetricFactory factory, string name, string help, params string[] labels)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Name = name;
        _counter = factory.CreateCounter(name, help, new CounterConfiguration { LabelNames = labels });
    }

    /// <summary>The metric's name.</summary>
    public string Name { get; }

    /// <summary>Adds <paramref name="value"/> to the series of <paramref name="labels"/>.</summary>
    public void Inc(double value, params string[] labels)
    {
        if (value <= 0)
        {
            return;
        }
        var key = string.Join('\0', labels);
        lock (_lock)
        {
            IncLocked(key, value, labels);
        }
    }

    private void IncLocked(string key, double value, string[] labels)
    {
        if (!_series.TryGetValue(key, out var series))
        {
            series = new Series(labels, _counter.WithLabels(labels));
            _series.Add(key, series);
        }
        series.Child.Inc(value);
        _dirty.Add(key);
    }

    /// <summary>The value of a series (0 when it does not exist), for tests and reports.</summary>
    public double Value(params string[] labels)
    {
        lock (_lock)
        {
            return _series.TryGetValue(string.Join('\0', labels), out var s) ? s.Child.Value : 0;
        }
    }

    /// <summary>Writes the series changed since the last call.</summary>
    public void Persist(ILiteCollection<BsonDocument> collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        lock (_lock)
        {
            PersistLocked(collection);
        }
    }

    private void PersistLocked(ILiteCollection<BsonDocument> collection)
    {
        foreach (var key in _dirty)
        {
            var series = _series[key];
            collection.Upsert(new BsonDocument
            {
                ["_id"] = SeriesKey.Of(Name, series.Labels),
                ["m"] = Name,
                ["l"] = new BsonArray(series.Labels.Select(l => new BsonValue(l))),
                ["v"] = series.Child.Value,
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
            var labels = document["l"].AsArray.Select(v => v.AsString).ToArray();
            Inc(document["v"].AsDouble, labels);
        }
        _dirty.Clear();
    }

    private sealed record Series(string[] Labels, Counter.Child Child);
}
