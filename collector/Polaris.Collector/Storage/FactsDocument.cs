using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Wire;

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
        summary["libs"] = LibrariesBlob(facts.Libraries);
        if (facts.Source != RecordSource.Agent)
        {
            summary["src"] = facts.Source.Name(); // absent for the agent's, as in every store before sources
            summary["uid"] = facts.Uid; // the users directory's number for the name, not the record's
        }
    }

    /// <summary>The libraries of a summary in one binary value: LiteDB serializes a blob in one copy, where sixty
    /// small documents cost a fifth of a millisecond per summary at ingest.</summary>
    /// <remarks>Layout: count; per library its name, processes, start-up processes, the non-zero origin loads as
    /// (origin, loads) and the non-zero import-time buckets as (bucket, count) after the count and sum.</remarks>
    public static byte[] LibrariesBlob(IReadOnlyList<LibraryFacts> libraries)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            writer.Write7BitEncodedInt(libraries.Count);
            Span<(int Bucket, long Count)> buckets = stackalloc (int, long)[ImportHistogram.BucketCount];
            foreach (var library in libraries)
            {
                writer.Write(library.Name);
                writer.Write7BitEncodedInt(library.Processes);
                writer.Write7BitEncodedInt(library.StartupProcesses);
                writer.Write7BitEncodedInt(NonZeroCount(library.OriginLoads));
                for (int i = 0; i < library.OriginLoads.Length; i++)
                {
                    if (library.OriginLoads[i] != 0)
                    {
                        writer.Write((byte)i);
                        writer.Write7BitEncodedInt64(library.OriginLoads[i]);
                    }
                }
                var histogram = library.ImportNs;
                writer.Write7BitEncodedInt64(histogram.Count);
                writer.Write7BitEncodedInt64(histogram.Sum);
                int used = histogram.NonZero(buckets);
                writer.Write7BitEncodedInt(used);
                foreach (var (bucket, n) in buckets[..used])
                {
                    writer.Write((byte)bucket);
                    writer.Write7BitEncodedInt64(n);
                }
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Reads what <see cref="LibrariesBlob"/> wrote.</summary>
    private static int NonZeroCount(long[] values)
    {
        int count = 0;
        foreach (long v in values)
        {
            count += v != 0 ? 1 : 0;
        }
        return count;
    }

    public static List<LibraryFacts> ReadLibraries(byte[] blob)
    {
        using var reader = new BinaryReader(new MemoryStream(blob));
        int count = reader.Read7BitEncodedInt();
        var libraries = new List<LibraryFacts>(Math.Min(count, 100_000));
        for (int l = 0; l < count; l++)
        {
            var library = new LibraryFacts(reader.ReadString())
            {
                Processes = reader.Read7BitEncodedInt(),
                StartupProcesses = reader.Read7BitEncodedInt(),
            };
            int origins = reader.Read7BitEncodedInt();
            for (int i = 0; i < origins; i++)
            {
                int origin = reader.ReadByte();
                long loads = reader.Read7BitEncodedInt64();
                if (origin < library.OriginLoads.Length)
                {
                    library.OriginLoads[origin] = loads;
                }
            }
            long n = reader.Read7BitEncodedInt64(), sum = reader.Read7BitEncodedInt64();
            int used = reader.Read7BitEncodedInt();
            var buckets = new long[ImportHistogram.BucketCount];
            for (int i = 0; i < used; i++)
            {
                int b = reader.ReadByte();
                long c = reader.Read7BitEncodedInt64();
                if (b < buckets.Length)
                {
                    buckets[b] = c;
                }
            }
            if (n > 0)
            {
                library.ImportNs.Add(ImportHistogram.From(n, sum, buckets));
            }
            libraries.Add(library);
        }
        return libraries;
    }

    /// <summary>What a version of a live summary counts, under <paramref name="field"/>: processes, home processes and
    /// libraries (the summary's own facts hold the rest).</summary>
    public static void WriteCounted(BsonDocument document, string field, SummaryFacts facts)
    {
        document[field] = new BsonDocument
        {
            ["procs"] = facts.Processes,
            ["home"] = facts.HomeProcesses,
            ["libs"] = LibrariesBlob(facts.Libraries),
        };
    }

    /// <summary>The counted facts of a live summary's state document (processes and libraries only).</summary>
    public static SummaryFacts ReadCounted(BsonDocument live)
    {
        var counted = live["counted"].AsDocument;
        return new SummaryFacts
        {
            Day = 0,
            Uid = 0,
            Kind = "",
            Domain = "",
            Processes = counted["procs"].AsInt32,
            HomeProcesses = counted["home"].AsInt32,
            Libraries = ReadLibraries(counted["libs"].AsBinary),
        };
    }

    public static SummaryFacts Read(BsonDocument summary)
    {
        var job = summary["job"].AsDocument;
        if (summary["adds"].IsDocument)
        {
            // A later version of a live summary counts only what it added.
            var adds = summary["adds"].AsDocument;
            return Read(summary, job) with
            {
                Processes = adds["procs"].AsInt32,
                HomeProcesses = adds["home"].AsInt32,
                Libraries = ReadLibraries(adds["libs"].AsBinary),
            };
        }
        return Read(summary, job);
    }

    private static SummaryFacts Read(BsonDocument summary, BsonDocument job)
    {
        return new SummaryFacts
        {
            Day = summary["day"].AsInt32,
            Uid = summary["uid"].AsInt64,
            Source = summary["src"].IsString ? WireNames.ParseSource(summary["src"].AsString) ?? RecordSource.Agent : RecordSource.Agent,
            JobKey = job["key"].AsString,
            Queue = job["queue"].AsString,
            Nodes = job["nodes"].AsInt32,
            Host = summary["host"].AsString,
            Kind = summary["kind"].AsString,
            Domain = summary["dom"].AsString,
            Processes = summary["procs"].AsInt32,
            HomeProcesses = summary["home"].AsInt32,
            Libraries = ReadLibraries(summary["libs"].AsBinary),
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

}
