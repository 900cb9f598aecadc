using Polaris.Collector.Import;
using Polaris.Collector.Settings;
using Polaris.Wire;

namespace Polaris.Collector.Cli;

/// <summary><c>polaris-collector import-xalt PATH...</c> and <c>import-pymodulesnooper PATH...</c>: another tool's records
/// into the store, as summaries of their source (docs/analysis.md), directly or through a running collector.</summary>
/// <remarks>Exit statuses: 0 when the inputs were read, records skipped or not (they are reported with their places);
/// 1 when the store or the collector failed; 2 for a wrong command line or setting.</remarks>
public sealed class ImportToolCommand(RecordSource source) : ICollectorCommand
{
    private static readonly HashSet<string> Options = new(StringComparer.Ordinal) { "data", "config", "collector", "token-file", "time-zone" };

    public string Name => "import-" + source.Name();

    private string Tool => source == RecordSource.Xalt ? "XALT" : "PyModuleSnooper";

    public string Synopsis => $"""
        {Name} [--data DIR] [--config FILE] [--collector URL [--token-file FILE]] {(source == RecordSource.PyModuleSnooper ? "[--time-zone ZONE] " : "")}PATH...
               import {Tool}'s records (files, folders, .gz, .zst, .tar, .tar.gz, .tar.zst) as summaries of source {source.Name()}
        """;

    public string Details => (source == RecordSource.Xalt
        ? "Reads XALT's run.*.json and pkg.*.json records, joined by xalt_run_uuid; Python runs only. XALT keeps top-level\n"
          + "package names only and the interpreter's version as theirs (dropped)."
        : "Reads ALCF PyModuleSnooper's JSON lines, one process each; of its environment only the variables the agent's\n"
          + "allowlist names are kept. Its timestamps are the nodes' local time: read in --time-zone ZONE (an IANA name),\n"
          + "else the setting pbsTimeZone, else this machine's zone.") + """


        Folders are walked recursively (links not followed, FIFOs and files swapped mid-walk skipped), archives and
        compressed files streamed, every entry bounded. Each record becomes one summary: its files' origins by the
        settings homeRoots, projectRoots, baseEnvironments and systemPrefixes (no disk is looked at), its user its file's
        owner (an archive's entry: the owner in its header when root owns the archive; a file owned by root: the
        record's own user, noted as not verified), numbered by name (the uid when the agent has shown the name), its job
        as JobKey makes it (1234501 and 1234501.polaris-pbs-01 are one job). Imported summaries count on their own days
        in the reports, never in /metrics. Importing the same records again adds nothing (within rollupRetentionDays).

        The store is the one serve uses: --data DIR, or the data setting of the config file (--config FILE, else
        POLARIS_COLLECTOR_CONFIG, else /etc/polaris-collector/collector.json). A running collector holds its store:
        import through it with --collector URL and its admin token (--token-file FILE; a collector with no
        adminTokenFile takes no import over HTTP, loopback included); the config file still gives the
        origin roots. Prints progress on standard error, then the files, records, processes stored and skipped, with
        the reasons and their first places.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var cli = new OptionReader(args, Options);
        if (cli.Operands.Count == 0)
        {
            throw new UsageException($"{Name} needs the files or folders to import: PATH...");
        }
        if (source == RecordSource.Xalt && cli.Get("time-zone") != null)
        {
            throw new UsageException("--time-zone is for PyModuleSnooper's local timestamps; XALT's are Unix times");
        }
        var options = CommandStore.Options(cli);
        if (cli.Get("time-zone") is { } zone)
        {
            options = CollectorSettings.Apply(options, "pbsTimeZone", SettingValue.FromText("option --time-zone", zone));
        }
        options.Validate();
        using var sink = Sink(cli, options);
        var tally = new ImportTally();
        var entries = new ImportInputs(tally).Walk(cli.Operands);
        var processes = source == RecordSource.Xalt
            ? new XaltReader(tally).Read(entries)
            : new PyModuleSnooperReader(tally, options.PbsServerTimeZone()).Read(entries);
        var progress = new ImportProgress(tally, Console.Error, !Console.IsErrorRedirected);
        try
        {
            foreach (var batch in new ImportedSummaries(options.OriginRules()).Batches(processes, source))
            {
                await sink.AddAsync(batch).ConfigureAwait(false);
                progress.Update(sink.Stored);
            }
            await sink.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is LiteDB.LiteException or IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException)
        {
            throw new StartupException($"the import stopped: {e.Message}; what was stored before stays, and importing again adds only the rest", e);
        }
        finally
        {
            progress.Done(sink.Stored);
        }
        tally.WriteTo(output);
        output.WriteLine($"{sink.Stored} summaries stored, {sink.Duplicates} imported before, {sink.Refused} refused");
        foreach (var reason in sink.RefusalReasons)
        {
            // A reason may come from a collector's answer: shown, never acted on by the terminal.
            output.WriteLine("  refused: " + TerminalText.Safe(reason));
        }
        return 0;
    }

    private IImportSink Sink(OptionReader cli, CollectorOptions options)
    {
        if (cli.Get("collector") is { } url)
        {
            if (cli.Get("data") != null)
            {
                throw new UsageException("--collector imports into that collector's store: leave out --data");
            }
            return new CollectorImportSink(CollectorClient.Create(url, cli.Get("token-file"), TimeSpan.FromMinutes(5)));
        }
        if (cli.Get("token-file") != null)
        {
            throw new UsageException("--token-file is the admin token of --collector URL, which is missing");
        }
        return new StoreImportSink(CommandStore.Open(options, $"import through the collector: {CommandLine.ProgramName} {Name} --collector URL [--token-file FILE] PATH..."), options.MaxLogBytes);
    }
}
