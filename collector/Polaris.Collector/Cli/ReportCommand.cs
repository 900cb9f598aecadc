using Polaris.Collector.Reports;
using Polaris.Collector.Storage;

namespace Polaris.Collector.Cli;

/// <summary><c>polaris-collector report NAME</c>: one of the study's reports (docs/analysis.md) from the store of a data
/// folder no collector holds, or from a running collector's <c>/api/v1/reports</c>; a table for a terminal, JSON or
/// CSV.</summary>
/// <remarks>Exit statuses: 0 with the report printed; 1 when the store or the collector failed; 2 for a wrong command
/// line, query or setting.</remarks>
public sealed class ReportCommand : ICollectorCommand
{
    private static readonly HashSet<string> Options = new(StringComparer.Ordinal)
    {
        "since", "until", "domain", "source", "library", "format", "data", "config", "collector", "token-file", "base-packages",
    };

    public string Name => "report";

    public string Synopsis => """
        report NAME [--since DATE] [--until DATE] [--domain D] [--source agent|xalt|pymodulesnooper]... [--library L]...
               [--format table|json|csv] [--data DIR] [--config FILE] [--collector URL [--token-file FILE]]
               [--base-packages FILE] (provisioning)
               a report of the facility's Python use (report --help lists them)
        """;

    public string Details => "Reports:\n" + string.Join("\n", ReportCatalog.All.Select(r => $"  {r.Name,-17} {r.Description}")) + """


        Dates are UTC days, yyyy-MM-dd; by default the 30 days to today. --source repeats (default: every source
        combined), as --library does (the reports about chosen libraries). The store is the one serve uses: --data DIR,
        or the data setting of the config file (--config FILE, else POLARIS_COLLECTOR_CONFIG, else
        /etc/polaris-collector/collector.json) and POLARIS_COLLECTOR_DATA. A running collector holds its store: ask it
        instead with --collector URL, with a read token (an admin token for reports naming users or jobs) from
        --token-file FILE (its first line). provisioning takes the base environment's package list from
        --base-packages FILE (conda list, conda list --export, conda env export, pip freeze), else from the setting
        baseEnvironmentPackages; without either, its base versions are those processes loaded from the base.
        Days run from 2000-01-01 to tomorrow; a read token's query spans at most 400 days and shows no row of fewer
        than reportMinimumUsers distinct users (the admin token: 3660 days, every row); on a store of its own, report
        shows every row.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(args);
        // The name first (report libraries --since ...), or after the options (report --since ... libraries).
        bool nameFirst = args.Count > 0 && !args[0].StartsWith('-');
        var cli = new OptionReader(nameFirst ? args.Skip(1).ToArray() : args, Options);
        var names = nameFirst ? [args[0], .. cli.Operands] : cli.Operands;
        if (names.Count != 1)
        {
            throw new UsageException($"report needs one report's name: {string.Join(", ", ReportCatalog.All.Select(r => r.Name))}");
        }
        var report = ReportCatalog.Find(names[0])
            ?? throw new UsageException($"no report '{names[0]}': {string.Join(", ", ReportCatalog.All.Select(r => r.Name))}");
        var format = cli.Get("format") ?? "table";
        bool yaml = format == EnvironmentYaml;
        if (!ReportWriter.Formats.Contains(format) && !(yaml && report is ProvisioningReport))
        {
            throw new UsageException($"option --format: '{format}' is none of {string.Join(", ", ReportWriter.Formats)}"
                + (report is ProvisioningReport ? $", {EnvironmentYaml}" : ""));
        }
        CheckBasePackages(cli, report);
        var parameters = ReportQuery.Parameters
            .Select(p => new KeyValuePair<string, IReadOnlyList<string>>(p, cli.GetAll(p)))
            .Where(p => p.Value.Count > 0)
            .ToArray();
        ReportQuery query;
        try
        {
            query = ReportQuery.Parse(parameters, DateOnly.FromDateTime(DateTime.UtcNow));
        }
        catch (ReportQueryException e)
        {
            throw new UsageException(e.Message, e);
        }
        if (yaml)
        {
            output.Write(cli.Get("collector") is { } at
                // A collector's answer is printed as lines of text, never as what a terminal would act on.
                ? string.Join('\n', (await GetAsync(at, cli, $"{ReportEndpoint.Prefix.TrimStart('/')}/provisioning/environment.yml", parameters).ConfigureAwait(false))
                    .Split('\n').Select(TerminalText.Safe))
                : FromStore(cli, (data, q) =>
                {
                    using var writer = new StringWriter();
                    ProvisioningYaml.Write(writer, ProvisioningReport.Candidates(data, q), q);
                    return writer.ToString();
                }, report.Name, query));
            return 0;
        }
        var table = cli.Get("collector") is { } url
            ? ReportJson.Read(System.Text.Encoding.UTF8.GetBytes(await GetAsync(url, cli, $"{ReportEndpoint.Prefix.TrimStart('/')}/{report.Name}", parameters).ConfigureAwait(false)))
            : FromStore(cli, (data, q) => ReportRequest.Run(report, data, q), report.Name, query);
        ReportWriter.Write(output, table, format);
        return 0;
    }

    /// <summary>The format that writes the provisioning report as a conda environment.yml fragment.</summary>
    private const string EnvironmentYaml = "environment-yml";

    /// <summary>Reads <c>--base-packages</c>'s file once before anything else, so that a wrong one is a usage error
    /// (exit 2) rather than a note under the table.</summary>
    private static void CheckBasePackages(OptionReader cli, IReport report)
    {
        if (cli.Get("base-packages") is not { } file)
        {
            return;
        }
        if (report is not ProvisioningReport)
        {
            throw new UsageException("--base-packages is the provisioning report's: the base environment's package list");
        }
        if (cli.Get("collector") != null)
        {
            throw new UsageException("--base-packages is read here, and a collector reads its own setting baseEnvironmentPackages: leave out --collector or --base-packages");
        }
        try
        {
            _ = BasePackageList.Read(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new UsageException($"option --base-packages: cannot read {file}: {e.Message}", e);
        }
    }

    private static T FromStore<T>(OptionReader cli, Func<ReportData, ReportQuery, T> run, string name, ReportQuery query)
    {
        if (cli.Get("token-file") != null)
        {
            throw new UsageException("--token-file is the token of --collector URL, which is missing");
        }
        var options = CommandStore.Options(cli);
        options.Validate();
        var folder = Path.GetFullPath(options.Data);
        using var store = CommandStore.Open(options, $"ask the collector: {CommandLine.ProgramName} report {name} --collector URL [--token-file FILE] ...", mustExist: true);
        try
        {
            return run(new ReportData(store) { BasePackagesFile = cli.Get("base-packages") ?? options.BaseEnvironmentPackages }, query);
        }
        catch (ReportQueryException e)
        {
            throw new UsageException(e.Message, e);
        }
        catch (Exception e) when (e is LiteDB.LiteException or IOException)
        {
            throw new StartupException($"cannot read the store {Path.Combine(folder, CollectorStore.FileName)}: {e.Message}", e);
        }
    }

    private static async Task<string> GetAsync(string url, OptionReader cli, string path, IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> parameters)
    {
        if (cli.Get("data") != null || cli.Get("config") != null)
        {
            throw new UsageException("--collector reports from that collector's store: leave out --data and --config");
        }
        using var http = CollectorClient.Create(url, cli.Get("token-file"), TimeSpan.FromMinutes(5));
        var query = string.Join("&", parameters.SelectMany(p => p.Value.Select(v => $"{p.Key}={Uri.EscapeDataString(v)}")));
        try
        {
            using var response = await http.GetAsync(new Uri(http.BaseAddress!, path + (query.Length > 0 ? "?" + query : ""))).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new StartupException($"the collector at {url} answered {(int)response.StatusCode} {response.ReasonPhrase}: {body[..Math.Min(body.Length, 300)].Split('\n')[0]}");
            }
            return body;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new StartupException($"cannot get the report from {url}: {e.Message}", e);
        }
    }
}
