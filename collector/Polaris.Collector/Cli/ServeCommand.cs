using System.Text;
using Polaris.Collector.Settings;

namespace Polaris.Collector.Cli;

/// <summary><c>polaris-collector serve</c>: the collector itself, until it is stopped.</summary>
public sealed class ServeCommand : ICollectorCommand
{
    /// <inheritdoc />
    public string Name => "serve";

    /// <inheritdoc />
    public string Synopsis => """
        serve [--urls URL] [--data DIR] [--config FILE] [--token-file FILE] [--read-token-file FILE] [--admin-token-file FILE] [--set KEY=VALUE]...
               take in agents' batches, store them, and serve /metrics and the API until stopped
        """;

    /// <inheritdoc />
    public string Details { get; } = SettingsHelp();

    /// <inheritdoc />
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        var options = CollectorOptions.Load(args);
        var host = CollectorHost.Build(options);
        await using (host.ConfigureAwait(false))
        {
            await host.RunAsync().ConfigureAwait(false);
        }
        return 0;
    }

    // The settings as the table in CollectorSettings has them, so help cannot drift from what is read.
    private static string SettingsHelp()
    {
        var text = new StringBuilder($"""
            Settings come from the config file ({CollectorOptions.DefaultConfigFile} when it exists; --config FILE or
            {CollectorSettings.ConfigVariable} names another), one flat JSON object of the keys below, and from
            environment variables, {CollectorSettings.VariablePrefix} and the key in capitals with underscores
            ({CollectorSettings.VariableOf("maxBatchBytes")}; lists comma-separated, lists of paths colon-separated).
            --set KEY=VALUE sets any key on the command line, which wins over variables, variables over the file,
            the file over the defaults. A key or {CollectorSettings.VariablePrefix}* variable that is no setting, or a value out of
            range, stops start-up (exit 2).

              key                     default, meaning
            """);
        text.Append('\n');
        foreach (var setting in CollectorSettings.All)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"  {setting.Name,-24}{setting.Default}\n  {"",-24}{setting.Meaning}\n");
        }
        return text.ToString().TrimEnd('\n');
    }
}
