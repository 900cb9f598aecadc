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

    /// <summary>The days' names held at most, in eight days' budgets: a day least lately used is let go past it (and
    /// read again from its roll-ups when next needed).</summary>
    public long MaxNamesHeld => 8L * maxPerDay;

    private readonly Dictionary<(int Day, long Uid), int> _brought = [];

    /// <summary>The name libraries past the budget are counted under.</summary>
    public const string Other = "other";

    // The days held, each with when it was last used: an import of a year's records comes in no order of days, and
    // holding a fixed few days read every summary's day again from the store (a tenth of an import's time).
    private readonly Dictionary<int, (HashSet<string> Names, long LastUse)> _days = [];
    private long _held;
    private long _uses;

    /// <summary>Names refused a roll-up of their own since start.</summary>
    public long Folded { get; private set; }

    /// <summary>The name to count <paramref name="library"/> under on <paramref name="day"/>, for user <paramref name="uid"/>.</summary>
    public string Of(int day, string library, long uid)
    {
        var names = NamesOn(day);
        if (names.Contains(library))
        {
            return library;
        }
        int brought = _brought.GetValueOrDefault((day, uid));
        if (brought < PerUser && names.Count < maxPerDay && names.Add(library))
        {
            _held++;
            _brought[(day, uid)] = brought + 1;
            return library;
        }
        Folded++;
        return Other;
    }

    /// <summary>Times a day's names were read from the store, for tests.</summary>
    internal int DaysRead { get; private set; }

    private HashSet<string> NamesOn(int day)
    {
        if (_days.TryGetValue(day, out var known))
        {
            _days[day] = (known.Names, ++_uses);
            return known.Names;
        }
        var names = new HashSet<string>(storedNames(day), StringComparer.Ordinal);
        DaysRead++;
        while (_days.Count > 0 && _held + names.Count > MaxNamesHeld)
        {
            LetGo(_days.MinBy(d => d.Value.LastUse).Key);
        }
        _days.Add(day, (names, ++_uses));
        _held += names.Count + 1; // a day of no names held counts too
        return names;
    }

    private void LetGo(int day)
    {
        _held -= _days[day].Names.Count + 1;
        _days.Remove(day);
        foreach (var key in _brought.Keys.Where(k => k.Day == day).ToArray())
        {
            _brought.Remove(key);
        }
    }
}
