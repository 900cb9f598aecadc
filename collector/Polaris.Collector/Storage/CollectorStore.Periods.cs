using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

/// <summary>Roll-ups of whole periods, for reports over long spans (docs/analysis.md, "Speed"). A day that is over gets
/// a bundle: all its libraries' roll-ups in a few documents instead of one each. A month that is over gets a bundle of
/// each library's month (the union of its days), and that month's roll-up per library for reports about chosen
/// libraries. A report over a year then reads a dozen bundles and some days' bundles instead of half a million
/// documents: LiteDB's cost is per document read.</summary>
/// <remarks>A period is "built" while its marker exists. A fold that changes one of its days removes the marker in the
/// same transaction, and reports read the days as stored until maintenance builds it again
/// (<see cref="Reports.RollupPeriods"/>).</remarks>
public sealed partial class CollectorStore
{
    private const string BundlesName = "rollup_bundles";
    private const string MonthsName = "rollup_months";
    private const string MarkersName = "rollup_periods";
    private const string UsesName = "rollup_uses";

    /// <summary>What a marker's <c>v</c> must be for its period to count as built: 2 since periods hold their uses
    /// (Reports.PeriodUses); a store's periods built before are built again, while their summaries are kept.</summary>
    private const int PeriodVersion = 2;

    /// <summary>Most bytes of one bundle document: bundles stay far below LiteDB's 16 MB document limit whatever a
    /// day or month holds (a larger period takes several).</summary>
    private const int BundleBytes = 4 * 1024 * 1024;

    private readonly Dictionary<string, long> _periodChanges = new(StringComparer.Ordinal);

    /// <summary>A month as a number, <c>yyyyMM</c>.</summary>
    public static int MonthOf(DateOnly day) => (day.Year * 100) + day.Month;

    /// <summary>The period of a day: <c>d</c> and <c>yyyyMMdd</c>.</summary>
    public static string DayPeriod(DateOnly day) => $"d{Days.Of(day.ToDateTime(TimeOnly.MinValue))}";

    /// <summary>The period of a month: <c>m</c> and <c>yyyyMM</c>.</summary>
    public static string MonthPeriod(int month) => $"m{month}";

    /// <summary>The stored daily roll-ups of one source and day, all libraries or those of <paramref name="libraries"/>,
    /// as stored (read at once: no cursor outlives the call).</summary>
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

    /// <summary>True when <paramref name="source"/> has daily roll-ups on <paramref name="day"/>.</summary>
    public bool HasDay(RecordSource source, DateOnly day) =>
        RollupsOf(source).Exists(Query.EQ("day", Days.Of(day.ToDateTime(TimeOnly.MinValue))));

    /// <summary>The periods built, as <c>collection|period</c> keys: read once by maintenance, not per period.</summary>
    public HashSet<string> BuiltPeriods() =>
        _db.GetCollection(MarkersName).Query().Select("{ id: $._id, v: $.v }").ToEnumerable()
            .Where(Current).Select(d => d["id"].AsString).ToHashSet(StringComparer.Ordinal);

    /// <summary>The key of a source's period, as <see cref="BuiltPeriods"/> lists it.</summary>
    public static string PeriodKey(RecordSource source, string period) => $"{RollupCollection(source)}|{period}";

    /// <summary>True when the period is built and no fold changed one of its days since.</summary>
    public bool PeriodBuilt(RecordSource source, string period) =>
        _db.GetCollection(MarkersName).FindById(PeriodKey(source, period)) is { } marker && Current(marker);

    // A marker of the current version: its period holds all a report reads of it.
    private static bool Current(BsonDocument marker) => marker["v"].IsNumber && marker["v"].AsInt32 >= PeriodVersion;

    /// <summary>The chunks of one section of a built period's uses (Reports.PeriodUses), or of one package's modules
    /// (<see cref="PeriodUsesId"/>), in order; none when it has none.</summary>
    /// <remarks>One query, so one snapshot: a rebuild committed meanwhile cannot mix its chunks with the old ones.</remarks>
    public IReadOnlyList<byte[]> PeriodUses(RecordSource source, string period, string section)
    {
        return _db.GetCollection(UsesName).Find(Query.StartsWith("_id", SectionPrefix(PeriodKey(source, period), section))).Select(d => d["e"].AsBinary).ToList();
    }

    /// <summary>Every chunk of a built period's uses with its section, read at once: to unite a month from its days.</summary>
    public IReadOnlyList<(string Section, byte[] Chunk)> AllPeriodUses(RecordSource source, string period)
    {
        string key = PeriodKey(source, period);
        return _db.GetCollection(UsesName).Find(Query.EQ("b", key)).Select(d =>
        {
            string id = d["_id"].AsString;
            return (id[(key.Length + 1)..id.LastIndexOf('|')], d["e"].AsBinary);
        }).ToList();
    }

    /// <summary>The id of a period's uses chunk: the period's key, its section, its number.</summary>
    public static string PeriodUsesId(string periodKey, string section, int chunk) => SectionPrefix(periodKey, section) + chunk.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // What every chunk id of a section starts with: no other section's (a section's name holds no '|').
    private static string SectionPrefix(string periodKey, string section) => $"{periodKey}|{section}|";

    /// <summary>The bundle of a built period: every library's roll-up, packed (Reports.PackedRollups), in one or a
    /// few binaries.</summary>
    public IReadOnlyList<byte[]> PeriodBundle(RecordSource source, string period) =>
        _db.GetCollection(BundlesName).Find(Query.EQ("b", PeriodKey(source, period))).Select(b => b["e"].AsBinary).ToList();

    /// <summary>The month roll-ups of chosen libraries in a built month, each packed.</summary>
    public IReadOnlyList<byte[]> MonthRollups(RecordSource source, int month, IReadOnlyCollection<string> libraries)
    {
        ArgumentNullException.ThrowIfNull(libraries);
        var months = _db.GetCollection(MonthsName);
        string key = PeriodKey(source, MonthPeriod(month));
        return libraries.Select(l => months.FindById($"{key}|{l}")).Where(d => d != null).Select(d => d["e"].AsBinary).ToList();
    }

    /// <summary>How often folds changed a day of the period since start: a period is stored only if this did not change
    /// while it was built.</summary>
    public long PeriodChanges(RecordSource source, string period)
    {
        lock (_write)
        {
            return _periodChanges.GetValueOrDefault(PeriodKey(source, period));
        }
    }

    /// <summary>Stores a period's roll-ups (a bundle; for a month also one document per library) and marks it built, in
    /// one transaction, unless a fold changed one of its days since <paramref name="changesSeen"/> was read.</summary>
    /// <returns>False when the period changed meanwhile (it is built again later).</returns>
    /// <param name="source">Whose roll-ups.</param>
    /// <param name="period">The period (<see cref="DayPeriod"/>, <see cref="MonthPeriod"/>).</param>
    /// <param name="rollups">Each library's roll-up, packed.</param>
    /// <param name="uses">Its uses, each section's chunks in order (<see cref="PeriodUses"/>).</param>
    /// <param name="changesSeen">What <see cref="PeriodChanges"/> said before the roll-ups were read.</param>
    public bool StorePeriod(RecordSource source, string period, IReadOnlyList<(string Library, byte[] Packed)> rollups,
        IReadOnlyList<(string Section, IReadOnlyList<byte[]> Chunks)> uses, long changesSeen)
    {
        ArgumentNullException.ThrowIfNull(rollups);
        ArgumentNullException.ThrowIfNull(uses);
        string key = PeriodKey(source, period);
        lock (_write)
        {
            if (_periodChanges.GetValueOrDefault(key) != changesSeen)
            {
                return false;
            }
            _db.BeginTrans();
            try
            {
                DeletePeriod(key);
                WriteBundle(key, rollups);
                if (period[0] == 'm')
                {
                    var months = _db.GetCollection(MonthsName);
                    foreach (var (library, packed) in rollups)
                    {
                        months.Insert(new BsonDocument { ["_id"] = $"{key}|{library}", ["b"] = key, ["e"] = packed });
                    }
                }
                var usesCollection = _db.GetCollection(UsesName);
                foreach (var (section, chunks) in uses)
                {
                    for (int i = 0; i < chunks.Count; i++)
                    {
                        usesCollection.Insert(new BsonDocument { ["_id"] = PeriodUsesId(key, section, i), ["b"] = key, ["e"] = chunks[i] });
                    }
                }
                _db.GetCollection(MarkersName).Upsert(new BsonDocument { ["_id"] = key, ["libraries"] = rollups.Count, ["v"] = PeriodVersion });
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

    private void WriteBundle(string key, IReadOnlyList<(string Library, byte[] Packed)> rollups)
    {
        var bundles = _db.GetCollection(BundlesName);
        int chunk = 0;
        var bytes = new MemoryStream();
        foreach (var (_, packed) in rollups)
        {
            if (bytes.Length > 0 && bytes.Length + packed.Length > BundleBytes)
            {
                bundles.Insert(new BsonDocument { ["_id"] = $"{key}|{chunk++}", ["b"] = key, ["e"] = bytes.ToArray() });
                bytes.SetLength(0);
            }
            bytes.Write(packed);
        }
        if (bytes.Length > 0)
        {
            bundles.Insert(new BsonDocument { ["_id"] = $"{key}|{chunk}", ["b"] = key, ["e"] = bytes.ToArray() });
        }
    }

    private int DeletePeriod(string key) =>
        _db.GetCollection(BundlesName).DeleteMany(Query.EQ("b", key)) + _db.GetCollection(MonthsName).DeleteMany(Query.EQ("b", key))
        + _db.GetCollection(UsesName).DeleteMany(Query.EQ("b", key));

    // Called by the fold, under the write lock and in its transaction: the days and months it changed are no longer
    // built.
    private void PeriodsChanged(IEnumerable<(RecordSource Source, int Day)> days)
    {
        var markers = _db.GetCollection(MarkersName);
        var keys = days.SelectMany(d => new[] { PeriodKey(d.Source, $"d{d.Day}"), PeriodKey(d.Source, MonthPeriod(d.Day / 100)) });
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            _periodChanges[key] = _periodChanges.GetValueOrDefault(key) + 1;
            markers.Delete(key);
        }
    }

    // Called by the prune: periods wholly before the roll-ups' cutoff go, and the month the cutoff falls in is no
    // longer built (its first days were pruned).
    private int PrunePeriods(int rollupCutoffDay)
    {
        int cutoffMonth = rollupCutoffDay / 100;
        int deleted = 0;
        lock (_write)
        {
            var markers = _db.GetCollection(MarkersName);
            // Every marker, of any version: a period built before the current version goes as well.
            foreach (var key in markers.Query().Select("{ id: $._id }").ToEnumerable().Select(d => d["id"].AsString).ToArray())
            {
                string period = key[(key.LastIndexOf('|') + 1)..];
                int number = int.Parse(period.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
                bool before = period[0] == 'd' ? number < rollupCutoffDay : number < cutoffMonth;
                if (before || (period[0] == 'm' && number == cutoffMonth))
                {
                    _db.BeginTrans();
                    try
                    {
                        deleted += before ? DeletePeriod(key) : 0;
                        markers.Delete(key);
                        _db.Commit();
                    }
                    catch
                    {
                        _db.Rollback();
                        throw;
                    }
                    _periodChanges[key] = _periodChanges.GetValueOrDefault(key) + 1;
                }
            }
        }
        return deleted;
    }
}
