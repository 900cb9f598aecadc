using System.Globalization;
using Polaris.Wire;

namespace Polaris.Collector.Reports;

/// <summary>What a report is asked for, from the API's query or the command line's options alike: UTC days
/// <see cref="Since"/> to <see cref="Until"/> (both included), one science domain or all, the sources combined, and
/// for the reports about chosen libraries their names.</summary>
public sealed record ReportQuery
{
    /// <summary>How dates are written.</summary>
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>Most days a query may span: ten years, as the roll-ups are kept; a report reads one roll-up per
    /// library and day at most. The admin token's and the command line's limit.</summary>
    public const int MaxDays = 3660;

    /// <summary>Most days a read token's query may span: a little over a year. A report's cost grows with its days
    /// (ten years took minutes of CPU), and a read token is what dashboards and Prometheus hold.</summary>
    public const int MaxReadDays = 400;

    /// <summary>The first day a query may name: no Python process the collector or its importers keep is older.</summary>
    public static readonly DateOnly Earliest = new(2000, 1, 1);

    /// <summary>Most libraries a query may name.</summary>
    public const int MaxLibraries = 100;

    /// <summary>The parameters a query takes (API query names; the command line's options without <c>--</c>).</summary>
    public static readonly IReadOnlyList<string> Parameters = ["since", "until", "domain", "source", "library"];

    public required DateOnly Since { get; init; }

    public required DateOnly Until { get; init; }

    /// <summary>One science domain, or null for all.</summary>
    public string? Domain { get; init; }

    /// <summary>The sources combined; every source when none was named.</summary>
    public IReadOnlyList<RecordSource> Sources { get; init; } = [RecordSource.Agent, RecordSource.Xalt, RecordSource.PyModuleSnooper];

    /// <summary>Libraries named (<c>library</c>, repeatable); empty for the reports' own choice.</summary>
    public IReadOnlyList<string> Libraries { get; init; } = [];

    /// <summary>The distinct users a row must count to be shown (k-anonymity): 1, every row, for the admin token and
    /// the command line on its own store; <c>reportMinimumUsers</c> for a read token, where a count of one or two
    /// users of a library in a small domain could name them. Set by the caller, never by the query's parameters.</summary>
    public int MinimumUsers { get; init; } = 1;

    /// <summary>Reads and checks the parameters (each name with its values): <c>since</c> and <c>until</c> are
    /// <c>yyyy-MM-dd</c> (defaults: today, UTC, and the 29 days before it), <c>source</c> is <c>agent</c>,
    /// <c>xalt</c> or <c>pymodulesnooper</c> and may repeat, as <c>library</c> may.</summary>
    /// <param name="parameters">Each parameter's values, by name.</param>
    /// <param name="today">Today, UTC: the default <c>until</c>; <c>until</c> may be at most the day after (a day
    /// ahead of UTC somewhere), <c>since</c> at least <see cref="Earliest"/>.</param>
    /// <param name="maxDays">The most days the query may span: <see cref="MaxDays"/>, or <see cref="MaxReadDays"/>
    /// for a read token.</param>
    /// <exception cref="ReportQueryException">A parameter is unknown, repeated where it may not be, or wrong: the
    /// message says which and why (the API's 400, the command line's usage error).</exception>
    public static ReportQuery Parse(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> parameters, DateOnly today, int maxDays = MaxDays)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var given = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in parameters)
        {
            // A misspelt parameter ('sinc') would otherwise be ignored and answer what nobody asked for.
            if (!Parameters.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw new ReportQueryException($"unknown parameter '{name}' ({string.Join(", ", Parameters)})");
            }
            given[name] = [.. (given.TryGetValue(name, out var before) ? before : []), .. values];
        }
        var until = Date(given, "until") ?? today;
        var latest = today.AddDays(1);
        if (until > latest || until < Earliest)
        {
            throw new ReportQueryException($"until {Text(until)} is not between {Text(Earliest)} and {Text(latest)}");
        }
        var since = Date(given, "since") ?? (until.DayNumber - Earliest.DayNumber < 29 ? Earliest : until.AddDays(-29));
        if (since < Earliest)
        {
            throw new ReportQueryException($"since {Text(since)} is before {Text(Earliest)}");
        }
        if (since > until)
        {
            throw new ReportQueryException($"since {Text(since)} is after until {Text(until)}");
        }
        if (until.DayNumber - since.DayNumber + 1 > maxDays)
        {
            throw new ReportQueryException($"since to until spans more than {maxDays} days"
                + (maxDays < MaxDays ? $" (a read token's limit; an admin token may ask for {MaxDays})" : ""));
        }
        var sources = Values(given, "source").Select(s => WireNames.ParseSource(s)
            ?? throw new ReportQueryException($"source '{s}' is none of agent, xalt, pymodulesnooper")).Distinct().ToArray();
        var libraries = Values(given, "library").Distinct(StringComparer.Ordinal).ToArray();
        if (libraries.Length > MaxLibraries || libraries.Any(l => l.Length is 0 or > 256))
        {
            throw new ReportQueryException($"library names at most {MaxLibraries} libraries of 1 to 256 characters");
        }
        var domains = Values(given, "domain").ToArray();
        if (domains.Length > 1 || domains.Any(d => d.Length is 0 or > 256))
        {
            throw new ReportQueryException("domain names one domain of 1 to 256 characters");
        }
        return new ReportQuery
        {
            Since = since,
            Until = until,
            Domain = domains.FirstOrDefault(),
            Sources = sources.Length > 0 ? sources : [RecordSource.Agent, RecordSource.Xalt, RecordSource.PyModuleSnooper],
            Libraries = libraries,
        };
    }

    /// <summary>A day as queries write it.</summary>
    public static string Text(DateOnly day) => day.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static IEnumerable<string> Values(Dictionary<string, IReadOnlyList<string>> given, string name) =>
        given.TryGetValue(name, out var values) ? values : [];

    private static DateOnly? Date(Dictionary<string, IReadOnlyList<string>> given, string name)
    {
        var values = Values(given, name).ToArray();
        if (values.Length == 0)
        {
            return null;
        }
        if (values.Length > 1)
        {
            throw new ReportQueryException($"{name} is given more than once");
        }
        return DateOnly.TryParseExact(values[0], DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new ReportQueryException($"{name} '{values[0]}' is not a date ({DateFormat})");
    }
}
