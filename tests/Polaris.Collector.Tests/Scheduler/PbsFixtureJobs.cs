using LiteDB;
using Polaris.Collector.Scheduler;
using Polaris.Collector.Storage;
using Polaris.Wire;

namespace Polaris.Collector.Tests.Scheduler;

/// <summary>Summaries of jobs of the accounting fixture (<see cref="PbsLogs.Fixture"/>), and the store's documents to
/// compare.</summary>
internal static class PbsFixtureJobs
{
    /// <summary>When the summaries arrive, the same in every test, since a job keeps the time of its last summary.</summary>
    public static readonly DateTime ReceivedUtc = new(2025, 4, 14, 11, 0, 0, DateTimeKind.Utc);

    private static readonly DateTime StartUtc = new(2025, 4, 14, 10, 30, 0, DateTimeKind.Utc);

    /// <summary>Three of the fixture's four jobs (not <c>1234600[3]</c>), each id spelt otherwise than the log spells
    /// it where it can be: <c>1234501</c> (the log: <c>1234501.polaris-pbs-01</c>), <c>1234777.polaris-pbs-01</c> (the
    /// log: <c>1234777</c>); <c>1234502</c>'s summaries carry no queue, which the log's fills.</summary>
    public static Batch[] Batches() =>
    [
        SummaryFixtures.BatchOf("pbs-a", "x3001c0s13b0n0",
            SummaryFixtures.Job("x3001c0s13b0n0", "1234501", 2001, 4, StartUtc, ["numpy", "scipy@home"], nodes: 2)),
        SummaryFixtures.BatchOf("pbs-b", "x3002c0s7b0n0",
            SummaryFixtures.Job("x3002c0s7b0n0", "1234502", 2002, 1, StartUtc, ["numpy"], queue: "")),
        SummaryFixtures.BatchOf("pbs-c", "x3104c0s1b0n0",
            SummaryFixtures.Job("x3104c0s1b0n0", "1234777.polaris-pbs-01", 2003, 8, StartUtc, ["torch@user-site"], nodes: 1)),
    ];

    /// <summary>Stores and counts <see cref="Batches"/>, as received at <see cref="ReceivedUtc"/>.</summary>
    public static void Ingest(CollectorStore store)
    {
        foreach (var batch in Batches())
        {
            store.Ingest(batch, ReceivedUtc);
        }
    }

    /// <summary>Imports the fixture log into an open store, as <c>POST /v1/pbs</c> does.</summary>
    public static PbsImportReport Import(CollectorStore store, string? log = null)
    {
        using var stream = File.OpenRead(log ?? PbsLogs.Fixture);
        return PbsImport.Run(store, stream, TimeZoneInfo.Utc, DateTime.UtcNow);
    }

    /// <summary>Every document of a collection of the store in <paramref name="dataDirectory"/> (closed), as JSON, by id.</summary>
    public static string Documents(string dataDirectory, string collection)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(dataDirectory, CollectorStore.FileName), Connection = ConnectionType.Direct });
        var documents = db.GetCollection(collection).FindAll().OrderBy(d => d["_id"].AsString, StringComparer.Ordinal);
        return string.Join('\n', documents.Select(d => JsonSerializer.Serialize(d)));
    }

    /// <summary>One job's document.</summary>
    public static BsonDocument Job(string dataDirectory, string key)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(dataDirectory, CollectorStore.FileName), Connection = ConnectionType.Direct });
        return db.GetCollection("jobs").FindById(key) ?? throw new InvalidOperationException($"no job {key}");
    }
}
