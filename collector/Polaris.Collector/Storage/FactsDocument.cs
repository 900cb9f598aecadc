using LiteDB;
using Polaris.Collector.Aggregation;

namespace Polaris.Collector.Storage;

/// <summary>How <see cref="SummaryFacts"/> are kept in a summary's document, and read back when a restart folds what
/// was stored but not yet folded.</summary>
internal static class FactsDocument
{
    public static void Write(BsonDocument summary, SummaryFacts facts)
    {
        summary["day"] = facts.Day;
        summary["kind"] = facts.Kind;
        summary["dom"] = facts.Domain;
        summary["home"] = facts.HomeProcesses;
        var libraries = new BsonArray();
        foreach (var library in facts.Libraries)
        {
            var document = new BsonDocument { ["l"] = library.Name, ["p"] = library.Processes };
            if (library.StartupProcesses > 0)
            {
                document["s"] = library.StartupProcesses;
            }
            document["o"] = Sparse(library.OriginLoads);
            if (library.ImportNs.Count > 0)
            {
                document["h"] = Histogram(library.ImportNs);
            }
            libraries.Add(document);
        }
        summary["libs"] = libraries;
    }

    public static SummaryFacts Read(BsonDocument summary)
    {
        var job = summary["job"].AsDocument;
        var libraries = new List<LibraryFacts>();
        foreach (var value in summary["libs"].AsArray)
        {
            var document = value.AsDocument;
            var library = new LibraryFacts(document["l"].AsString)
            {
                Processes = document["p"].AsInt32,
                StartupProcesses = document["s"].IsNull ? 0 : document["s"].AsInt32,
            };
            var origins = document["o"].AsArray;
            for (int i = 0; i + 1 < origins.Count; i += 2)
            {
                int origin = origins[i].AsInt32;
                if ((uint)origin < (uint)library.OriginLoads.Length)
                {
                    library.OriginLoads[origin] = origins[i + 1].AsInt64;
                }
            }
            if (document["h"].IsDocument)
            {
                library.ImportNs.Add(ReadHistogram(document["h"].AsDocument));
            }
            libraries.Add(library);
        }
        return new SummaryFacts
        {
            Day = summary["day"].AsInt32,
            Uid = (uint)summary["uid"].AsInt64,
            JobKey = job["key"].AsString,
            Queue = job["queue"].AsString,
            Nodes = job["nodes"].AsInt32,
            Host = summary["host"].AsString,
            Kind = summary["kind"].AsString,
            Domain = summary["dom"].AsString,
            Processes = summary["procs"].AsInt32,
            HomeProcesses = summary["home"].AsInt32,
            Libraries = libraries,
        };
    }

    /// <summary>A histogram as <c>{n, s, b: [bucket, count, ...]}</c>, non-empty buckets only.</summary>
    public static BsonDocument Histogram(ImportHistogram histogram)
    {
        var buckets = new BsonArray();
        var counts = histogram.Buckets;
        for (int b = 0; b < counts.Length; b++)
        {
            if (counts[b] != 0)
            {
                buckets.Add(b);
                buckets.Add(counts[b]);
            }
        }
        return new BsonDocument { ["n"] = histogram.Count, ["s"] = histogram.Sum, ["b"] = buckets };
    }

    public static ImportHistogram ReadHistogram(BsonDocument document)
    {
        var counts = new long[ImportHistogram.BucketCount];
        var buckets = document["b"].AsArray;
        for (int i = 0; i + 1 < buckets.Count; i += 2)
        {
            int b = buckets[i].AsInt32;
            if ((uint)b < (uint)counts.Length)
            {
                counts[b] = buckets[i + 1].AsInt64;
            }
        }
        return ImportHistogram.From(document["n"].AsInt64, document["s"].AsInt64, counts);
    }

    private static BsonArray Sparse(long[] values)
    {
        var array = new BsonArray();
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] != 0)
            {
                array.Add(i);
                array.Add(values[i]);
            }
        }
        return array;
    }
}
