using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Polaris.Collector.Rollups;

/// <summary>What <c>GET /v1/rollups</c> asks for: UTC days <see cref="Since"/> to <see cref="Until"/> (both included) and,
/// when <see cref="Libraries"/> is not null, only those libraries (<c>""</c> is all Python).</summary>
/// <param name="Since">First day.</param>
/// <param name="Until">Last day.</param>
/// <param name="Libraries">The libraries asked for, or null for every library of each day.</param>
public sealed record RollupRange(DateOnly Since, DateOnly Until, IReadOnlyList<string>? Libraries)
{
    /// <summary>Most days one request may span: a request's work and time are bounded, and longer spans are read in
    /// several requests (<c>merge-rollups</c> does).</summary>
    public const int MaxDays = 400;

    /// <summary>Most <c>library</c> parameters one request may name.</summary>
    public const int MaxLibraries = 100;

    /// <summary>How dates are written in the query and the answer.</summary>
    public const string DateFormat = "yyyy-MM-dd";

    private static readonly string[] Parameters = ["since", "until", "library"];

    /// <summary>Days the range spans.</summary>
    public int DayCount => Until.DayNumber - Since.DayNumber + 1;

    /// <summary>Reads and checks the query: <c>since</c> and <c>until</c> are <c>yyyy-MM-dd</c> (defaults: today, UTC,
    /// and the 29 days before it), at most <see cref="MaxDays"/> days apart; <c>library</c> may repeat.</summary>
    /// <param name="query">The request's query.</param>
    /// <param name="today">Today, UTC: the default <c>until</c>.</param>
    /// <param name="range">The range, when the query is right.</param>
    /// <param name="reason">What is wrong, when it is not: the 400's text.</param>
    public static bool TryParse(IQueryCollection query, DateOnly today, [NotNullWhen(true)] out RollupRange? range, out string reason)
    {
        ArgumentNullException.ThrowIfNull(query);
        range = null;
        // A misspelt parameter ('sinc') would otherwise be ignored and answer a range nobody asked for. Names are
        // matched as the query collection looks them up: ignoring case.
        if (query.Keys.FirstOrDefault(k => !Parameters.Contains(k, StringComparer.OrdinalIgnoreCase)) is { } unknown)
        {
            reason = $"unknown parameter '{unknown}' (since, until, library)";
            return false;
        }
        if (!TryDate(query, "until", today, out var until, out reason)
            || !TryDate(query, "since", until.AddDays(-29), out var since, out reason))
        {
            return false;
        }
        var libraries = query.TryGetValue("library", out var named) ? named : StringValues.Empty;
        reason = Check(since, until, libraries.Count > 0 ? libraries.Select(l => l ?? "").ToArray() : null) ?? "";
        if (reason.Length > 0)
        {
            return false;
        }
        range = new RollupRange(since, until, libraries.Count > 0 ? libraries.Select(l => l ?? "").Distinct(StringComparer.Ordinal).ToArray() : null);
        return true;
    }

    /// <summary>What is wrong with a range, or null: since after until, more than <see cref="MaxDays"/> days, too many
    /// libraries or one that is no library name.</summary>
    public static string? Check(DateOnly since, DateOnly until, IReadOnlyList<string>? libraries)
    {
        if (since > until)
        {
            return $"since {Text(since)} is after until {Text(until)}";
        }
        if (until.DayNumber - since.DayNumber + 1 > MaxDays)
        {
            return $"since {Text(since)} to until {Text(until)} spans {until.DayNumber - since.DayNumber + 1} days, more than {MaxDays}";
        }
        if (libraries is { Count: > MaxLibraries })
        {
            return $"{libraries.Count} library parameters, more than {MaxLibraries}";
        }
        var bad = libraries?.FirstOrDefault(l => !IsLibraryName(l));
        return bad == null ? null : $"library '{bad}' is no library name";
    }

    /// <summary>A date as the query and the answer write it.</summary>
    public static string Text(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads <c>yyyy-MM-dd</c>.</summary>
    public static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>True for <c>""</c> (all Python) and for what a module's top level can be: no blanks, no control
    /// characters, within the wire's bound on a module name.</summary>
    public static bool IsLibraryName(string name) =>
        name.Length <= Polaris.Wire.SummaryBounds.MaxNameBytes && !name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    private static bool TryDate(IQueryCollection query, string name, DateOnly fallback, out DateOnly date, out string reason)
    {
        reason = "";
        date = fallback;
        if (!query.TryGetValue(name, out var values))
        {
            return true;
        }
        if (values.Count != 1)
        {
            reason = $"{name} given {values.Count} times";
            return false;
        }
        if (!TryDate(values[0] ?? "", out date))
        {
            reason = $"{name} '{values[0]}' is no date: {DateFormat}";
            return false;
        }
        return true;
    }
}
