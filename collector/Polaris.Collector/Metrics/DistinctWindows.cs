namespace Polaris.Collector.Metrics;

/// <summary>Distinct subjects (users or jobs) of one library over the last 1, 7 and 30 days: each subject's last day,
/// and how many subjects have each last day, so that a window's count is a sum over at most 30 days.</summary>
/// <remarks>A subject seen on two days counts once in every window that holds either day.</remarks>
public sealed class DistinctWindows<TSubject>
    where TSubject : notnull
{
    /// <summary>The longest window, in days.</summary>
    public const int MaxDays = 30;

    private readonly Dictionary<TSubject, int> _lastDay = new();
    private readonly SortedDictionary<int, int> _perDay = new();

    /// <summary>Subjects held.</summary>
    public int Count => _lastDay.Count;

    /// <summary>Notes <paramref name="subject"/> on day number <paramref name="day"/> (<see cref="Aggregation.Days.Number"/>).</summary>
    public void See(TSubject subject, int day)
    {
        if (_lastDay.TryGetValue(subject, out int last))
        {
            if (last >= day)
            {
                return;
            }
            Move(last, -1);
        }
        _lastDay[subject] = day;
        Move(day, 1);
    }

    /// <summary>Distinct subjects whose last day is within <paramref name="days"/> days ending on <paramref name="today"/>.</summary>
    public int Within(int today, int days)
    {
        int first = today - days + 1;
        int count = 0;
        foreach (var (day, n) in _perDay)
        {
            if (day >= first && day <= today)
            {
                count += n;
            }
        }
        return count;
    }

    /// <summary>Forgets subjects last seen before <paramref name="firstDay"/>: windows that start on it or later count
    /// the same, and the memory held stays that of the subjects seen since.</summary>
    public void Forget(int firstDay)
    {
        var old = _perDay.Keys.Where(d => d < firstDay).ToArray();
        if (old.Length == 0)
        {
            return;
        }
        foreach (var day in old)
        {
            _perDay.Remove(day);
        }
        foreach (var subject in _lastDay.Where(e => e.Value < firstDay).Select(e => e.Key).ToArray())
        {
            _lastDay.Remove(subject);
        }
    }

    private void Move(int day, int by)
    {
        int n = _perDay.GetValueOrDefault(day) + by;
        if (n == 0)
        {
            _perDay.Remove(day);
        }
        else
        {
            _perDay[day] = n;
        }
    }
}
