namespace Polaris.Collector.Aggregation;

/// <summary>Days as the store keeps them (<c>yyyyMMdd</c>, readable in ids) and as windows count them (day numbers).</summary>
public static class Days
{
    /// <summary><c>yyyyMMdd</c> of a UTC time.</summary>
    public static int Of(DateTime utc) => (utc.Year * 10_000) + (utc.Month * 100) + utc.Day;

    /// <summary>The day number (days since 0001-01-01) of a <c>yyyyMMdd</c> day; 0 when it is no date.</summary>
    public static int Number(int day)
    {
        int year = day / 10_000, month = day / 100 % 100, date = day % 100;
        return year is >= 1 and <= 9999 && month is >= 1 and <= 12 && date >= 1 && date <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, date).DayNumber
            : 0;
    }

    /// <summary>The <c>yyyyMMdd</c> of a day number.</summary>
    public static int FromNumber(int number) => Of(DateOnly.FromDayNumber(number).ToDateTime(TimeOnly.MinValue));
}
