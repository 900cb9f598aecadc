namespace Polaris.Collector.Aggregation;

/// <summary>At most so many distinct library names a day get roll-ups and distinct counts of their own; past it a
/// new name is counted as library <c>other</c> (its modules stay in the summary as they came).</summary>
/// <remarks>Records are written by users: one who writes records naming a million made-up packages would otherwise
/// add a million roll-up documents a day and a million sets of distinct users in memory. Real days have a few
/// thousand libraries.</remarks>
public sealed class DailyLibraryBudget(int maxPerDay, Func<int, IEnumerable<string>> storedNames)
{
    /// <summary>The name libraries past the budget are counted under.</summary>
    public const string Other = "other";

    private readonly Dictionary<int, HashSet<string>> _days = [];

    /// <summary>Names refused a roll-up of their own since start.</summary>
    public long Folded { get; private set; }

    /// <summary>The name to count <paramref name="library"/> under on <paramref name="day"/>.</summary>
    public string Of(int day, string library)
    {
        if (!_days.TryGetValue(day, out var names))
        {
            if (_days.Count >= 8)
            {
                _days.Remove(_days.Keys.Min());
            }
            names = new HashSet<string>(storedNames(day), StringComparer.Ordinal);
            _days.Add(day, names);
        }
        if (names.Contains(library) || (names.Count < maxPerDay && names.Add(library)))
        {
            return library;
        }
        Folded++;
        return Other;
    }
}
