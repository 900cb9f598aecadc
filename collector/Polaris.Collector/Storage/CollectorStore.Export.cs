using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Collector.Export;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

public sealed partial class CollectorStore
{
    /// <summary>The first and last UTC days anything is stored for (summaries, or any source's roll-ups); null when
    /// the store is empty. Read from the collections' <c>day</c> indexes.</summary>
    public (DateOnly First, DateOnly Last)? StoredDays()
    {
        var collections = new[] { _summaries, _rollups }.Concat(_importedRollups.Values).Where(c => c.Count() > 0).ToArray();
        if (collections.Length == 0)
        {
            return null;
        }
        int first = collections.Min(c => c.Min("day").AsInt32);
        int last = collections.Max(c => c.Max("day").AsInt32);
        return (DateOnly.FromDayNumber(Days.Number(first)), DateOnly.FromDayNumber(Days.Number(last)));
    }

    /// <summary>The summaries counted on UTC day <paramref name="day"/>, every source, as export's rows, in the order
    /// they were stored; the versions of a live summary that a newer one replaced are left out, as every report leaves
    /// them. Read one at a time as the sequence is enumerated.</summary>
    /// <remarks>As <see cref="Rollups"/>: the day's ids are read first and each summary by its id, so one day's ids
    /// and one summary are held, and no LiteDB cursor lives across the caller's awaits. Module tables come through a
    /// cache of their own (the ranks of a job share one).</remarks>
    public IEnumerable<ExportedSummary> SummariesOn(DateOnly day)
    {
        var ids = _summaries.Query().Where(Query.EQ("day", Days.Of(day.ToDateTime(TimeOnly.MinValue)))).Select("{ id: $._id }").ToEnumerable()
            .Select(d => d["id"].AsInt64).Order().ToArray();
        var tables = new ModuleTableCache(16L * 1024 * 1024);
        foreach (var id in ids)
        {
            if (_summaries.FindById(id) is not { } document || document["sup"] == true)
            {
                continue;
            }
            ModuleTable? table = null;
            if (document["table"].IsString && !tables.TryGet(document["table"].AsString, out table, out _))
            {
                table = _tables.FindById(document["table"]) is { } t ? ModuleTable.FromDocument(t) : null;
                if (table != null)
                {
                    tables.Put(document["table"].AsString, table, 0);
                }
            }
            yield return SummaryRows.Of(document, table);
        }
    }

    /// <summary>Every source's roll-ups of UTC day <paramref name="day"/> as export's rows: the agent's, then XALT's,
    /// then PyModuleSnooper's, each day's libraries in ordinal order (all Python first).</summary>
    public IEnumerable<RollupRow> RollupRowsOn(DateOnly day)
    {
        foreach (var source in new[] { RecordSource.Agent, RecordSource.Xalt, RecordSource.PyModuleSnooper })
        {
            foreach (var rollup in Rollups(day, day, null, source))
            {
                yield return new RollupRow
                {
                    Source = source.Name(),
                    Library = rollup.Library.Length > 0 ? rollup.Library : null,
                    Users = rollup.Users.Count,
                    Jobs = rollup.Jobs.Count,
                    Processes = rollup.Processes,
                    StartupProcesses = rollup.StartupProcesses,
                    ImportCount = rollup.ImportNs.Count,
                    ImportSumNs = rollup.ImportNs.Sum,
                };
            }
        }
    }
}
