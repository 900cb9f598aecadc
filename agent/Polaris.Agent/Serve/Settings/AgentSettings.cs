using System.Text.Json;
using Polaris.Agent.Cli;
using Polaris.Agent.Serve.Enrich;

namespace Polaris.Agent.Serve.Settings;

/// <summary>Every setting of the agent's config file by name, and how it is read from the file or from an
/// environment variable; one table, so the two can never disagree.</summary>
public static class AgentSettings
{
    /// <summary>Prefix of the environment variables that set the agent's settings.</summary>
    public const string VariablePrefix = "POLARIS_AGENT_";

    /// <summary>Variable naming the config file (like <c>--config</c>).</summary>
    public const string ConfigVariable = VariablePrefix + "CONFIG";

    /// <summary>Every setting, in the order help and the guide list them.</summary>
    public static IReadOnlyList<AgentSetting> All { get; } =
    [
        new("drop", AgentOptions.DefaultDrop, "folder the hook writes record files into (mode 1733)", (o, v) => o with { Drop = v.Text() }),
        new("spool", "/var/spool/polaris-agent/batches", "folder of batches the collector has not acknowledged yet", (o, v) => o with { Spool = v.Text() }),
        new("collector", "http://127.0.0.1:8470/", "collector URLs, tried in order (fail-over; a variable: comma-separated)", (o, v) => o with { Collectors = v.Urls() }),
        new("caFile", "none: the system's authorities", "PEM authorities that sign an https collector's certificate", (o, v) => o with { CaFile = v.Text() }),
        new("tokenFile", "$CREDENTIALS_DIRECTORY/token, else none", "bearer token shown to the collector; mode 0600, the daemon's user's or root's", (o, v) => o with { TokenFile = v.Text() }),
        new("summaryQuietMs", "2000", "a summary closes once no record joined it for this long", (o, v) => o with { SummaryQuiet = TimeSpan.FromMilliseconds(v.Number()) }),
        new("summaryWindowMs", "60000", "a summary closes at the latest this long after its first record", (o, v) => o with { SummaryWindow = TimeSpan.FromMilliseconds(v.Number()) }),
        new("liveAfterMs", "10000", "a process running this long is shipped live, before it ends; 0: off", (o, v) => o with { LiveAfter = TimeSpan.FromMilliseconds(v.Number()) }),
        new("summaryMaxProcesses", "1024", "processes that fill a summary", (o, v) => o with { SummaryMaxProcesses = v.Number() }),
        new("summaryMaxOpen", "256", "summaries open at once; one more closes the longest waiting", (o, v) => o with { SummaryMaxOpen = v.Number() }),
        new("maxBatchSummaries", "100", "summaries that make a batch full", (o, v) => o with { MaxBatchSummaries = v.Number() }),
        new("maxRecordBytes", "8388608 (8 MiB)", "largest record file read; larger ones are dropped and counted", (o, v) => o with { MaxRecordBytes = v.Number() }),
        new("queueCapacity", "16", "records read ahead of aggregation; past it files wait in the drop folder", (o, v) => o with { QueueCapacity = v.Number() }),
        new("userRecordsPerSecond", "500", "records a second one user's files are taken in at, past the burst", (o, v) => o with { UserRecordsPerSecond = v.Number() }),
        new("userRecordBurst", "10000", "records one user may drop at once (a job's ranks ending together)", (o, v) => o with { UserRecordBurst = v.Number() }),
        new("spoolMaxBytes", "268435456 (256 MiB)", "most bytes the spool holds; past it the oldest batches are dropped and counted", (o, v) => o with { SpoolMaxBytes = v.Bytes() }),
        new("spoolMaxAgeHours", "168 (7 days)", "age past which a spooled batch is dropped and counted", (o, v) => o with { SpoolMaxAge = TimeSpan.FromHours(v.Number()) }),
        new("spoolMinFreeBytes", "67108864 (64 MiB)", "free space the spool leaves on its file system", (o, v) => o with { SpoolMinFreeBytes = v.Bytes() }),
        new("statusSocket", AgentOptions.DefaultStatusSocket, "Unix socket polaris-agent status asks (systemd's socket unit passes it)", (o, v) => o with { StatusSocket = v.Text() }),
        new("textfileDirectory", "none", "node exporter's textfile folder, where polaris_agent.prom is kept current", (o, v) => o with { TextfileDirectory = v.Text() }),
        new("baseEnvironments", "none", "prefixes of the facility's base conda environments (a variable: colon-separated)", (o, v) => o with { BaseEnvironments = v.AbsolutePaths() }),
        new("homeRoots", string.Join(", ", EnrichOptions.DefaultHomeRoots), "roots of home directories, besides each user's passwd home (a variable: colon-separated)", (o, v) => o with { HomeRoots = v.AbsolutePaths() }),
        new("projectRoots", string.Join(", ", EnrichOptions.DefaultProjectRoots), "shared project file systems (a variable: colon-separated)", (o, v) => o with { ProjectRoots = v.AbsolutePaths() }),
        new("systemPrefixes", string.Join(", ", EnrichOptions.DefaultSystemPrefixes), "the operating system's folders (a variable: colon-separated)", (o, v) => o with { SystemPrefixes = v.AbsolutePaths() }),
    ];

    private static readonly Dictionary<string, AgentSetting> ByName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>The settings as <c>serve --help</c> lists them, from <see cref="All"/>, so help cannot drift from what is read.</summary>
    public static string Help()
    {
        var text = new System.Text.StringBuilder($"""
            Settings come from the config file ({AgentOptions.DefaultConfigFile} when it exists; --config FILE or
            {ConfigVariable} names another), one flat JSON object of the keys below, and from
            environment variables, {VariablePrefix} and the key in capitals with underscores
            ({VariableOf("spoolMaxBytes")}; lists comma-separated, lists of paths colon-separated).
            --set KEY=VALUE sets any key on the command line, which wins over variables, variables over the file,
            the file over the defaults. A key or {VariablePrefix}* variable that is no setting, or a value out of
            range, stops start-up (exit 2).

              key                     default, meaning

            """);
        foreach (var setting in All)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"  {setting.Name,-24}{setting.Default}\n  {"",-24}{setting.Meaning}\n");
        }
        return text.ToString().TrimEnd('\n');
    }

    /// <summary>The setting names, as the config file spells them.</summary>
    public static IEnumerable<string> Names => All.Select(s => s.Name);

    /// <summary>The environment variable of a setting: <c>spoolMaxBytes</c> is <c>POLARIS_AGENT_SPOOL_MAX_BYTES</c>.</summary>
    public static string VariableOf(string setting) =>
        VariablePrefix + string.Concat(setting.Select(c => char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));

    public static AgentOptions Apply(AgentOptions options, string setting, SettingValue value) =>
        ByName.TryGetValue(setting, out var found)
            ? found.Apply(options, value)
            : throw new UsageException($"{value.Where} is not a known setting; did you mean '{All.MinBy(s => EditDistance(s.Name, setting))!.Name}'?");

    /// <summary>Applies a config file: one JSON object of settings.</summary>
    public static AgentOptions ApplyFile(AgentOptions options, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new UsageException($"config file {path}: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"config file {path}: must hold one JSON object");
            }
            foreach (var setting in document.RootElement.EnumerateObject())
            {
                options = Apply(options, setting.Name, SettingValue.FromJson($"config file {path}: setting '{setting.Name}'", setting.Value));
            }
            return options;
        }
    }

    /// <summary>Variables with the prefix that are not settings: the config file's, and the hook's own.</summary>
    /// <remarks><c>POLARIS_AGENT_DROP</c> is both the hook's and the <c>drop</c> setting's.</remarks>
    public static readonly IReadOnlySet<string> OtherVariables = new HashSet<string>(StringComparer.Ordinal) { ConfigVariable, VariablePrefix + "DISABLE" };

    /// <summary>Refuses a <c>POLARIS_AGENT_*</c> variable that is neither a setting's nor one of
    /// <see cref="OtherVariables"/>, naming the nearest setting: a misspelt variable would otherwise be ignored
    /// silently, where a misspelt key in the config file is refused.</summary>
    /// <exception cref="UsageException">Such a variable is set.</exception>
    public static void RefuseUnknownVariables(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var known = ByName.Keys.ToDictionary(VariableOf, s => s, StringComparer.Ordinal);
        foreach (var variable in environment.Keys.Where(v => v.StartsWith(VariablePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (!known.ContainsKey(variable) && !OtherVariables.Contains(variable))
            {
                var nearest = known.Keys.MinBy(k => EditDistance(k, variable))!;
                throw new UsageException($"environment variable {variable} is not a setting; did you mean {nearest} (setting '{known[nearest]}')?");
            }
        }
    }

    // Levenshtein distance, two rows: names are a few dozen characters.
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>Applies the <c>POLARIS_AGENT_*</c> variables that name a setting. Others with the prefix are left
    /// alone here (<c>status</c> reads settings too); <c>serve</c> refuses them first (<see cref="RefuseUnknownVariables"/>).</summary>
    public static AgentOptions ApplyEnvironment(AgentOptions options, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var setting in All)
        {
            var variable = VariableOf(setting.Name);
            if (environment.TryGetValue(variable, out var text))
            {
                options = setting.Apply(options, SettingValue.FromText($"environment variable {variable}", text));
            }
        }
        return options;
    }
}
