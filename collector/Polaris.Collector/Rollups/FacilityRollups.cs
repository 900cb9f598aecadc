namespace Polaris.Collector.Rollups;

/// <summary>Several collectors' daily roll-ups united day by day: per library, the distinct users and jobs over the
/// windows ending on <see cref="Until"/> and the processes summed (<c>merge-rollups</c>).</summary>
/// <remarks>
/// Each collector counts a user or a job once however often it saw it, but a user whose jobs ran on nodes of two
/// collectors is in both collectors' counts; the roll-ups keep the uids and job keys themselves, so uniting them is
/// exact. Memory is one entry per distinct user and job per library, not per day or per collector.
/// </remarks>
public sealed class FacilityRollups
{
    private readonly Dictionary<string, LibraryTally> _libraries = new(StringComparer.Ordinal);

    /// <param name="since">First day read.</param>
    /// <param name="until">Last day read: every window ends on it.</param>
    public FacilityRollups(DateOnly since, DateOnly until)
    {
        if (since > until)
        {
            throw new ArgumentException($"since {since} is after until {until}", nameof(since));
        }
        Since = since;
        Until = until;
        Windows = WindowsFor(until.DayNumber - since.DayNumber + 1);
    }

    /// <summary>First day read.</summary>
    public DateOnly Since { get; }

    /// <summary>Last day read.</summary>
    public DateOnly Until { get; }

    /// <summary>The windows, in days, each ending on <see cref="Until"/>.</summary>
    public IReadOnlyList<int> Windows { get; }

    /// <summary>The windows a span of <paramref name="days"/> days is reported in: those of the gauges (1, 7 and 30
    /// days) that fit in it, and the whole span when it is none of them. A window longer than what was read would
    /// count only part of itself.</summary>
    public static IReadOnlyList<int> WindowsFor(int days)
    {
        int[] gauges = [1, 7, 30];
        var windows = gauges.Where(w => w <= days).ToList();
        if (!windows.Contains(days))
        {
            windows.Add(days);
        }
        return windows;
    }

    /// <summary>Adds one collector's roll-up of one day and library.</summary>
    /// <exception cref="InvalidDataException">Its day is no date or outside <see cref="Since"/> to <see cref="Until"/>.</exception>
    /// <exception cref="OverflowException">Processes summed pass <see cref="long.MaxValue"/>.</exception>
    public void Add(RollupRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!RollupRange.TryDate(record.Day, out var day) || day < Since || day > Until)
        {
            throw new InvalidDataException($"a roll-up of day '{record.Day}', outside {RollupRange.Text(Since)} to {RollupRange.Text(Until)}");
        }
        if (!_libraries.TryGetValue(record.Library, out var tally))
        {
            _libraries[record.Library] = tally = new LibraryTally(Windows.Count);
        }
        tally.Add(day.DayNumber, record, Until.DayNumber, Windows);
    }

    /// <summary>Every library read: all Python (<c>""</c>) first, then by users over the longest window, most first,
    /// then by name.</summary>
    public IReadOnlyList<FacilityRow> Rows()
    {
        var rows = _libraries.Select(l => l.Value.Row(l.Key, Until.DayNumber, Windows)).ToList();
        if (rows.All(r => r.Library.Length > 0))
        {
            // All Python is always reported, at 0 when no collector had a day of it.
            rows.Add(new LibraryTally(Windows.Count).Row("", Until.DayNumber, Windows));
        }
        return rows
            .OrderBy(r => r.Library.Length > 0)
            .ThenByDescending(r => r.Users[^1])
            .ThenBy(r => r.Library, StringComparer.Ordinal)
            .ToArray();
    }
}
