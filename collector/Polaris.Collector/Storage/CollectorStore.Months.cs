using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>Month roll-ups: for each source, month and library, the union of the month's daily roll-ups, built once
/// the month is over (<see cref="Reports.MonthlyRollups"/>), so that a report over a year reads twelve of them instead
/// of 365 days' (docs/analysis.md, "Speed"). A month is "built" while its marker exists; a fold that changes one of
/// its days removes the marker in the same transaction, and reports read its days until it is built again.</summary>
public sealed partial class CollectorStore
{
    private const string MonthsName = "rollup_months";
    private const string MonthMarkersName = "rollup_months_built";
    private readonly Dictionary<string, long> _monthChanges = new(StringComparer.Ordinal);

    /// <summary>A month as a number, <c>yyyyMM</c>.</summary>
    public static int MonthOf(DateOnly day) => (day.Year * 100) + day.Month;

    /// <summary>The stored daily roll-ups of one source and day, all libraries or those of <paramref name="libraries"/>,
    /// as stored (read by id, a day at a time: no cursor outlives the call).</summary>
    public IReadOnlyList<BsonDocument> RollupDocuments(RecordSource source, DateOnly day, IReadOnlyCollection<string>? libraries)
    {
        var rollups = RollupsOf(source);
        int number = Days.Of(day.ToDateTime(TimeOnly.MinValue));
        if (libraries != null)
        {
            return libraries.Select(l => rollups.FindById(RollupDay.IdOf(number, l))).Where(d => d != null).ToList();
        }
        return rollups.Find(Query.EQ("day", number)).ToList();
    }

    /// <summary>True when the month roll-ups of <paramref name="source"/> and <paramref name="month"/> are built and no
    /// fold changed one of its days since.</summary>
    public bool MonthBuilt(RecordSource source, int month) => Months(MonthMarkersName).FindById(MonthKey(source, month)) != null;

    /// <summary>The month roll-ups of a built month, all libraries or those of <paramref name="libraries"/>.</summary>
    public IEnumerable<BsonDocument> MonthDocuments(RecordSource source, int month, IReadOnlyCollection<string>? libraries)
    {
        var months = Months(MonthsName);
        string key = MonthKey(source, month);
        var ids = libraries != null
            ? libraries.Select(l => $"{key}|{l}").ToArray()
            : months.Query().Where(Query.EQ("sm", key)).Select("{ id: $._id }").ToEnumerable().Select(d => d["id"].AsString).ToArray();
        foreach (var id in ids)
        {
            if (months.FindById(id) is { } document)
            {
                yield return document;
            }
        }
    }

    /// <summary>How often folds changed a day of the month since start: a month built from its days is stored only if
    /// this did not change while it was built.</summary>
    public long MonthChanges(RecordSource source, int month)
    {
        lock (_write)
        {
            return _monthChanges.GetValueOrDefault(MonthKey(source, month));
        }
    }

    /// <summary>True when <paramref name="source"/> has daily roll-ups in <paramref name="month"/>.</summary>
    public bool HasDaysIn(RecordSource source, int month) =>
        RollupsOf(source).Exists(Query.Between("day", (month * 100) + 1, (month * 100) + 31));

    /// <summary>Stores a month's roll-ups and marks it built, in one transaction, unless a fold changed one of its days
    /// since <paramref name="changesSeen"/> was read.</summary>
    /// <returns>False when the month changed meanwhile (it is built again later).</returns>
    public bool StoreMonth(RecordSource source, int month, IReadOnlyList<BsonDocument> documents, long changesSeen)
    {
        ArgumentNullException.ThrowIfNull(documents);
        string key = MonthKey(source, month);
        lock (_write)
        {
            if (_monthChanges.GetValueOrDefault(key) != changesSeen)
            {
                return false;
            }
            var months = Months(MonthsName);
            _db.BeginTrans();
            try
            {
                months.DeleteMany(Query.EQ("sm", key));
                foreach (var document in documents)
                {
                    document["sm"] = key;
                    months.Insert(document);
                }
                Months(MonthMarkersName).Upsert(new BsonDocument { ["_id"] = key, ["libraries"] = documents.Count });
                _db.Commit();
            }
            catch
            {
                _db.Rollback();
                throw;
            }
            return true;
        }
    }

    // Called by the fold, under the write lock and in its transaction: the months whose days it changed are no longer
    // built.
    private void MonthsChanged(IEnumerable<(RecordSource Source, int Day)> days)
    {
        var markers = Months(MonthMarkersName);
        foreach (var key in days.Select(d => MonthKey(d.Source, d.Day / 100)).Distinct(StringComparer.Ordinal))
        {
            _monthChanges[key] = _monthChanges.GetValueOrDefault(key) + 1;
            markers.Delete(key);
        }
    }

    // Called by the prune: months wholly before the roll-ups' cutoff go, and the month the cutoff falls in is no longer
    // built (its first days were pruned).
    private int PruneMonths(int rollupCutoffDay)
    {
        int cutoffMonth = rollupCutoffDay / 100;
        int deleted = 0;
        lock (_write)
        {
            var months = Months(MonthsName);
            var markers = Months(MonthMarkersName);
            foreach (var marker in markers.FindAll().ToArray())
            {
                string key = marker["_id"].AsString;
                int month = int.Parse(key[(key.LastIndexOf('|') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                if (month < cutoffMonth)
                {
                    deleted += months.DeleteMany(Query.EQ("sm", key));
                }
                if (month <= cutoffMonth)
                {
                    markers.Delete(key);
                    _monthChanges[key] = _monthChanges.GetValueOrDefault(key) + 1;
                }
            }
        }
        return deleted;
    }

    private ILiteCollection<BsonDocument> Months(string name) => _db.GetCollection(name);

    private static string MonthKey(RecordSource source, int month) => $"{RollupCollection(source)}|{month}";
}
