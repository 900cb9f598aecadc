namespace Polaris.Collector.Aggregation;

/// <summary>At most so many distinct library names a day get roll-ups and distinct counts of their own, and each user
/// brings at most <see cref="PerUser"/> of them; past it a new name is counted as library <c>other</c> (its modules stay
/// in the summary as they came). The store keeps one per source, each loaded from that source's roll-ups.</summary>
/// <remarks>Records are written by users: one who writes records naming a million made-up packages would otherwise
/// add a million roll-up documents a day and a million sets of distinct users in memory, and would use up the day's
/// budget for everyone else. Real days have a few thousand libraries, a user's own a few dozen. One budget per source:
/// a user writes another tool's records (a PyModuleSnooper line takes any LOGNAME), and those must not use up the
/// agents' budget of the day, nor the agents' names an import's.</remarks>
public sealed class DailyLibraryBudget(int maxPerDay, Func<int, IEnumerable<string>> storedNames)
{
    /// <summary>New names one user may bring in a day.</summary>
    public const int PerUser = 2000;

    private readonly Dictionary<(int Day, long Uid), int> _brought = [];

    /// <summary>The name libraries past the budget are counted under.</summary>
    public const string Other = "other";

    private readonly Dictionary<int, HashSet<string>> _days = [];

    /// <summary>Names refused a roll-up of their own since start.</summary>
    public long Folded { get; private set; }

    /// <summary>The name to count <paramref name="library"/> under on <paramref name="day"/>, for user <paramref name="uid"/>.</summary>
    public string Of(int day, string library, long uid)
    {
        if (!_days.TryGetValue(day, out var names))
        {
            if (_days.Count >= 8)
            {
                int oldest = _days.Keys.Min();
                _days.Remove(oldest);
                foreach (var key in _brought.Keys.Where(k => k.Day == oldest).ToArray())
                {
                    _brought.Remove(key);
                }
            }
            names = new HashSet<string>(storedNames(day), StringComparer.Ordinal);
            _days.Add(day, names);
        }
        if (names.Contains(library))
        {
            return library;
        }
        int brought = _brought.GetValueOrDefault((day, uid));
        if (brought < PerUser && names.Count < maxPerDay && names.Add(library))
        {
            _brought[(day, uid)] = brought + 1;
            return library;
        }
        Folded++;
        return Other;
    }
}
