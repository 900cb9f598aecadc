using Polaris.Collector.Rollups;

namespace Polaris.Collector.Cli;

/// <summary><c>polaris-collector merge-rollups URL...</c>: facility-wide distinct users and jobs across collectors that
/// each hold a share of the nodes, from their <c>/v1/rollups</c> united day by day (docs/collector.md, "Several
/// collectors").</summary>
/// <remarks>Distinct counts do not add up across collectors (a user on two shards is in both), so Prometheus's
/// <c>sum by</c> cannot give them; the roll-ups keep the uids and job keys, and uniting those is exact.</remarks>
public sealed class MergeRollupsCommand : ICollectorCommand
{
    /// <summary>Longest span read, in days: the most roll-ups a collector keeps (<c>rollupRetentionDays</c>' bound).</summary>
    public const int MaxSpanDays = 36_500;

    private static readonly HashSet<string> Options = new(["since", "until", "library", "token-file", "format"], StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => "merge-rollups";

    /// <inheritdoc />
    public string Synopsis => """
        merge-rollups [--since DAY] [--until DAY] [--library NAME]... [--token-file FILE] [--format table|json] URL...
               facility-wide distinct users and jobs, and processes, over 1, 7 and 30 days, from several collectors
        """;

    /// <inheritdoc />
    public string Details => $"""
        Reads GET /v1/rollups of every collector URL (each a shard with its own store) and unites the users and jobs of
        each day, so that a user or a job seen by two collectors counts once. Prints, per library and for all Python,
        the distinct users and jobs and the processes summed over the 1, 7 and 30 days ending on --until (those that
        fit between --since and --until, and the whole span when it is none of them).

          --since DAY        first UTC day read, yyyy-MM-dd (default: 29 days before --until)
          --until DAY        last UTC day read, where every window ends (default: today, UTC)
          --library NAME     only this library (and all Python); may repeat
          --token-file FILE  the collectors' admin token (adminTokenFile), first line that is not a # comment;
                             none: no token (a collector's loopback, when it has no admin token)
          --format FORMAT    table (default) or json

        Spans longer than {RollupRange.MaxDays} days are read in several requests; at most {MaxSpanDays} days. Exits 1
        when a collector cannot be read: a count without one of them would be wrong.
        """;

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var options = new OptionReader(args, Options);
        var collectors = Collectors(options.Operands);
        var until = Date(options, "until") ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var since = Date(options, "since") ?? until.AddDays(-29);
        if (since > until)
        {
            throw new UsageException($"--since {RollupRange.Text(since)} is after --until {RollupRange.Text(until)}");
        }
        if (until.DayNumber - since.DayNumber + 1 > MaxSpanDays)
        {
            throw new UsageException($"--since to --until spans more than {MaxSpanDays} days");
        }
        var libraries = Libraries(options.GetAll("library"));
        var format = options.Get("format") ?? "table";
        if (format is not ("table" or "json"))
        {
            throw new UsageException($"--format is table or json, not '{format}'");
        }
        var token = options.Get("token-file") is { } file ? ReadToken(file) : null;

        var facility = new FacilityRollups(since, until);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
        foreach (var collector in collectors)
        {
            // One after the other: the union is one structure, and each collector streams into it.
            await new RollupSource(http, collector, token).AddToAsync(facility, libraries, CancellationToken.None).ConfigureAwait(false);
        }
        if (format == "json")
        {
            FacilityReport.WriteJson(output, facility, collectors);
        }
        else
        {
            FacilityReport.WriteTable(output, facility, collectors.Length);
        }
        return 0;
    }

    private static Uri[] Collectors(IReadOnlyList<string> operands)
    {
        if (operands.Count == 0)
        {
            throw new UsageException("merge-rollups needs the URL of at least one collector");
        }
        var collectors = new List<Uri>();
        foreach (var operand in operands)
        {
            if (!Uri.TryCreate(operand, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                throw new UsageException($"'{operand}' is no http or https URL");
            }
            var collector = RollupSource.BaseOf(url);
            // The same collector twice would count its processes twice.
            if (collectors.Contains(collector))
            {
                throw new UsageException($"collector {collector} is given twice");
            }
            collectors.Add(collector);
        }
        return [.. collectors];
    }

    private static DateOnly? Date(OptionReader options, string name) => options.Get(name) switch
    {
        null => null,
        var text when RollupRange.TryDate(text, out var date) => date,
        var text => throw new UsageException($"--{name} '{text}' is no date: {RollupRange.DateFormat}"),
    };

    // All Python is always asked for with the libraries named, so its row is there to compare them with.
    private static string[]? Libraries(IReadOnlyList<string> named)
    {
        if (named.Count == 0)
        {
            return null;
        }
        if (named.FirstOrDefault(l => l.Length == 0 || !RollupRange.IsLibraryName(l)) is { } bad)
        {
            throw new UsageException($"--library '{bad}' is no library name");
        }
        var libraries = named.Prepend("").Distinct(StringComparer.Ordinal).ToArray();
        return libraries.Length <= RollupRange.MaxLibraries
            ? libraries
            : throw new UsageException($"more than {RollupRange.MaxLibraries - 1} --library options");
    }

    private static string ReadToken(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--token-file: cannot read {path}: {e.Message}", e);
        }
        return lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && l[0] != '#')
            ?? throw new UsageException($"--token-file: {path} holds no token");
    }
}
