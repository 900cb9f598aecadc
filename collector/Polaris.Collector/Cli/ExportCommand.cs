using System.Globalization;
using LiteDB;
using Polaris.Collector.Export;
using Polaris.Collector.Reports;

namespace Polaris.Collector.Cli;

/// <summary><c>polaris-collector export --format parquet|csv --out DIR</c>: the stored summaries and roll-ups as files
/// partitioned by UTC day (Hive's layout), for DuckDB, Spark or pandas (docs/analysis.md, "Export").</summary>
/// <remarks>Exit statuses: 0 with the files and rows written printed; 1 when the store cannot be opened or a file
/// cannot be written; 2 for a wrong command line or setting.</remarks>
public sealed class ExportCommand : ICollectorCommand
{
    private static readonly HashSet<string> Options = new(StringComparer.Ordinal) { "format", "out", "since", "until", "data", "config" };

    public string Name => "export";

    public string Synopsis => """
        export --format parquet|csv --out DIR [--since DATE] [--until DATE] [--data DIR] [--config FILE]
               the stored processes, modules and roll-ups as files partitioned by day, for DuckDB, Spark or pandas
        """;

    public string Details => """
        Writes DIR/processes, DIR/modules and DIR/rollups, each as DIR/TABLE/day=YYYY-MM-DD/part-0.parquet (or .csv, with
        a header): Hive's layout, which read_parquet('DIR/processes/*/*.parquet', hive_partitioning = true) in DuckDB and
        spark.read.parquet('DIR/processes') read with the day as a DATE column. docs/analysis.md ("Export") gives every
        column. Dates are UTC days, yyyy-MM-dd; by default every day the store holds. Exporting a day again replaces that
        day's files (each written under a hidden name and renamed); a day the store no longer holds is left as it is.

        The store is the one serve uses: --data DIR, or the data setting of the config file (--config FILE, else
        POLARIS_COLLECTOR_CONFIG, else /etc/polaris-collector/collector.json) and POLARIS_COLLECTOR_DATA. The export reads
        the store directly: a running collector holds it, so stop the collector for the export (or export a backup).
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var cli = new OptionReader(args, Options);
        if (cli.Operands.Count > 0)
        {
            throw new UsageException($"export takes no operands: '{cli.Operands[0]}'");
        }
        var format = cli.Get("format") switch
        {
            "parquet" => ExportFormat.Parquet,
            "csv" => ExportFormat.Csv,
            null => throw new UsageException("export needs --format parquet or --format csv"),
            var other => throw new UsageException($"option --format: '{other}' is none of parquet, csv"),
        };
        var folder = cli.Get("out") is { Length: > 0 } o ? Path.GetFullPath(o) : throw new UsageException("export needs --out DIR, the folder to write");
        var since = Date(cli, "since");
        var until = Date(cli, "until");
        if (since > until)
        {
            throw new UsageException($"--since {since:yyyy-MM-dd} is after --until {until:yyyy-MM-dd}");
        }
        var options = CommandStore.Options(cli);
        options.Validate();
        var store = CommandStore.Open(options,
            "export reads the store itself: stop the collector for the export, or export a backup of its data folder", mustExist: true);
        try
        {
            var days = store.StoredDays();
            var tally = days is var (first, last)
                ? await new StoreExport(store, folder, format).RunAsync(since ?? first, until ?? last).ConfigureAwait(false)
                : new ExportTally();
            tally.WriteTo(output, StoreExport.TableNames, folder);
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"the export stopped: {e.Message}; the files written before stay, and each day's are whole", e);
        }
        catch (LiteException e)
        {
            throw new StartupException($"cannot read the store {store.Path}: {e.Message}", e);
        }
        finally
        {
            store.Dispose();
        }
    }

    private static DateOnly? Date(OptionReader cli, string name) => cli.Get(name) is not { } text
        ? null
        : DateOnly.TryParseExact(text, ReportQuery.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new UsageException($"option --{name}: '{text}' is not a date ({ReportQuery.DateFormat})");
}
