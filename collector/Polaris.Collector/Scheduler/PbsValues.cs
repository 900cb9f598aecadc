using System.Globalization;
using System.Text;

namespace Polaris.Collector.Scheduler;

/// <summary>The value forms of the accounting attributes the collector reads, each with the bounds that tell a
/// value from a damaged one.</summary>
internal static class PbsValues
{
    /// <summary>The longest text value kept (user, group, account, project, queue), in UTF-8 bytes.</summary>
    public const int MaxTextBytes = 256;

    /// <summary>The most nodes a job can have here; more means the value is damaged.</summary>
    public const int MaxNodeCount = 1_000_000;

    /// <summary>The longest wall time believed: ten years.</summary>
    public static readonly TimeSpan MaxWalltime = TimeSpan.FromDays(3653);

    /// <summary>The earliest time believed, in records' dates and in Unix times.</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The first time past the latest believed (the end of 2100).</summary>
    public static readonly DateTimeOffset PastLatest = new(2101, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly long EarliestSeconds = Earliest.ToUnixTimeSeconds();
    private static readonly long PastLatestSeconds = PastLatest.ToUnixTimeSeconds();

    /// <summary>Text without control characters, up to <see cref="MaxTextBytes"/>; empty is null. The line is
    /// valid UTF-8 already.</summary>
    public static bool TryText(ReadOnlySpan<byte> value, out string? text)
    {
        text = null;
        if (value.Length > MaxTextBytes)
        {
            return false;
        }
        if (value.IsEmpty)
        {
            return true;
        }
        var decoded = Encoding.UTF8.GetString(value);
        if (decoded.Any(char.IsControl))
        {
            return false;
        }
        text = decoded;
        return true;
    }

    /// <summary>A node count: digits only, 1 to <see cref="MaxNodeCount"/>.</summary>
    public static bool TryNodeCount(ReadOnlySpan<byte> value, out int nodes) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out nodes) && nodes is >= 1 and <= MaxNodeCount;

    /// <summary>An exit status: a 32-bit integer, negative for PBS's own codes (<c>-1</c>: the job could not run).</summary>
    public static bool TryExitStatus(ReadOnlySpan<byte> value, out int status) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out status);

    /// <summary>A wall time <c>H:MM:SS</c>, hours of any number of digits (a long job passes 24 h; PBS does not
    /// roll them into days), up to <see cref="MaxWalltime"/>.</summary>
    public static bool TryWalltime(ReadOnlySpan<byte> value, out TimeSpan walltime)
    {
        walltime = default;
        int first = value.IndexOf((byte)':');
        int last = value.LastIndexOf((byte)':');
        if (first <= 0 || last != first + 3 || value.Length != last + 3
            || !long.TryParse(value[..first], NumberStyles.None, CultureInfo.InvariantCulture, out long hours)
            || !TwoDigits(value[(first + 1)..last], out int minutes) || !TwoDigits(value[(last + 1)..], out int seconds)
            || minutes > 59 || seconds > 59 || hours > (long)MaxWalltime.TotalHours)
        {
            return false;
        }
        walltime = TimeSpan.FromSeconds(checked((hours * 3600) + (minutes * 60) + seconds));
        return walltime <= MaxWalltime;
    }

    /// <summary>A Unix time in seconds within <see cref="Earliest"/> and <see cref="PastLatest"/>; <c>0</c>, which
    /// PBS writes for a time not reached, is null.</summary>
    public static bool TryUnixTime(ReadOnlySpan<byte> value, out DateTimeOffset? time)
    {
        time = null;
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            return false;
        }
        if (seconds == 0)
        {
            return true;
        }
        if (seconds < EarliestSeconds || seconds >= PastLatestSeconds)
        {
            return false;
        }
        time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    /// <summary>A record's date <c>MM/DD/YYYY HH:MM:SS</c>, in the PBS server's time zone, as UTC.</summary>
    /// <remarks>A time the zone skips (the hour lost to summer time) cannot have been written and is refused; a
    /// time it repeats (the hour gained back) is taken as standard time, as <see cref="TimeZoneInfo"/> does.</remarks>
    public static bool TryRecordTime(ReadOnlySpan<byte> value, TimeZoneInfo zone, out DateTimeOffset time)
    {
        time = default;
        if (value.Length != 19 || value[2] != '/' || value[5] != '/' || value[10] != ' ' || value[13] != ':' || value[16] != ':'
            || !TwoDigits(value[0..2], out int month) || !TwoDigits(value[3..5], out int day)
            || !TwoDigits(value[6..8], out int century) || !TwoDigits(value[8..10], out int yearOfCentury)
            || !TwoDigits(value[11..13], out int hour) || !TwoDigits(value[14..16], out int minute)
            || !TwoDigits(value[17..19], out int second))
        {
            return false;
        }
        int year = (century * 100) + yearOfCentury;
        if (year < Earliest.Year || year >= PastLatest.Year || month is < 1 or > 12 || day < 1
            || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            return false;
        }
        time = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
        return time >= Earliest && time < PastLatest;
    }

    private static bool TwoDigits(ReadOnlySpan<byte> value, out int number)
    {
        number = 0;
        if (value.Length != 2 || !char.IsAsciiDigit((char)value[0]) || !char.IsAsciiDigit((char)value[1]))
        {
            return false;
        }
        number = ((value[0] - '0') * 10) + (value[1] - '0');
        return true;
    }
}
