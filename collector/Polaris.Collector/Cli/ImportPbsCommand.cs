namespace Polaris.Collector.Cli;

/// <summary><c>polaris-collector import-pbs FILE...</c>: attaches PBS accounting logs to the jobs of a store, opened
/// directly when no collector holds it, else through the collector's <c>POST /v1/pbs</c>.</summary>
/// <remarks>Exit statuses: 0 when every file was imported, malformed lines or not (they are reported, with their
/// numbers); 1 when a file could not be read at all (the others are still imported) or the store or the collector
/// failed; 2 for a wrong command line or setting.</remarks>
public sealed class ImportPbsCommand : ICollectorCommand
{
    private static readonly HashSet<string> Options = new(StringComparer.Ordinal) { "data", "config", "collector", "token-file" };

    /// <inheritdoc />
    public string Name => "import-pbs";

    /// <inheritdoc />
    public string Synopsis => """
        import-pbs [--data DIR] [--config FILE] [--collector URL [--token-file FILE]] FILE...
               attach PBS accounting logs (node count, wall time, exit status, end) to the jobs, before or after their summaries
        """;

    /// <inheritdoc />
    public string Details => """
        Reads PBS Professional accounting logs (server_priv/accounting/YYYYMMDD) and keeps, per job, its end record (or
        its start record until the end one comes). A job whose summaries the collector has seen is updated; one it has
        not is kept for when they come. 1234501 and 1234501.polaris-pbs-01 are one job. Importing a log again changes
        nothing. A running job's home-loading series goes when its end record arrives.

        The store is the one serve uses: --data DIR, or the data setting of the config file (--config FILE, else
        POLARIS_COLLECTOR_CONFIG, else /etc/polaris-collector/collector.json) and POLARIS_COLLECTOR_DATA. Dates in the
        log are in the PBS server's time zone: setting pbsTimeZone (an IANA name), else this machine's. Run it as the
        collector's user: files the import creates in the data folder are the running user's.

        A running collector holds its store. Import through it instead: --collector URL posts each file to its
        /v1/pbs, with the admin token of --token-file FILE (its first line): a collector with no adminTokenFile
        takes no import over HTTP, loopback included. The collector's pbsTimeZone reads the dates then.

        Prints, per file, the lines read, the E and S records taken, the jobs updated and not seen yet, and the
        malformed lines with the first line numbers and why. Exit 0 when every file was imported, malformed lines or
        not; 1 when a file could not be read (the others are imported) or the store or the collector failed.
        """;

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var cli = new OptionReader(args, Options);
        if (cli.Operands.Count == 0)
        {
            throw new UsageException("import-pbs needs the accounting logs to import: FILE...");
        }
        using var importer = Importer(cli);
        var failed = new List<string>();
        foreach (var path in cli.Operands)
        {
            try
            {
                var report = await importer.ImportAsync(path).ConfigureAwait(false);
                report.WriteTo(output, path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failed.Add($"{path}: {e.Message}");
            }
        }
        if (failed.Count > 0)
        {
            throw new StartupException(failed.Count == 1
                ? $"cannot import {failed[0]}"
                : $"cannot import {failed.Count} of {cli.Operands.Count} files; the first, {failed[0]}");
        }
        return 0;
    }

    private static IPbsLogImporter Importer(OptionReader cli)
    {
        if (cli.Get("collector") is { } url)
        {
            if (cli.Get("data") != null || cli.Get("config") != null)
            {
                throw new UsageException("--collector imports into that collector's store, with its settings: leave out --data and --config");
            }
            return CollectorPbsImporter.Create(url, cli.Get("token-file"));
        }
        if (cli.Get("token-file") != null)
        {
            throw new UsageException("--token-file is the admin token of --collector URL, which is missing");
        }
        var options = CommandStore.Options(cli);
        options.Validate();
        return StorePbsImporter.Open(options);
    }
}
