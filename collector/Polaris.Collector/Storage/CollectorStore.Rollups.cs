using LiteDB;
using Polaris.Collector.Aggregation;
using Polaris.Wire;

namespace Polaris.Collector.Storage;

public sealed partial class CollectorStore
{
    /// <summary>The daily roll-ups of the UTC days <paramref name="since"/> to <paramref name="until"/>, day by day and
    /// each day's libraries in ordinal order; only those of <paramref name="libraries"/> unless it is null. Read one at
    /// a time as the sequence is enumerated.</summary>
    /// <remarks>
    /// A day's ids are read first and then each roll-up by its id, so at most one day's ids (bounded by the daily
    /// library budget) and one roll-up are held, and no LiteDB cursor lives across the caller's awaits. They are as of
    /// the last fold: what was stored since (at most <c>foldMilliseconds</c> ago) is not in them yet.
    /// </remarks>
    /// <param name="since">The first UTC day.</param>
    /// <param name="until">The last UTC day.</param>
    /// <param name="libraries">The libraries wanted; null for all.</param>
    /// <param name="source">Whose roll-ups: the agent's (the default), or an imported source's.</param>
    public IEnumerable<RollupDay> Rollups(DateOnly since, DateOnly until, IReadOnlyCollection<string>? libraries, RecordSource source = RecordSource.Agent)
    {
        var rollups = RollupsOf(source);
        for (int number = since.DayNumber; number <= until.DayNumber; number++)
        {
            int day = Days.FromNumber(number);
            var ids = libraries != null
                ? libraries.Select(l => RollupDay.IdOf(day, l))
                : rollups.Query().Where(Query.EQ("day", day)).Select("{ id: $._id }").ToEnumerable().Select(d => d["id"].AsString);
            foreach (var id in ids.Order(StringComparer.Ordinal).ToArray())
            {
                if (rollups.FindById(id) is { } document)
                {
                    yield return RollupDay.FromDocument(document);
                }
            }
        }
    }
}
