using Polaris.Agent.Cli;
using Polaris.Agent.Serve.Enrich;
using Polaris.Agent.Serve.Settings;
using Polaris.Wire;

namespace Polaris.Agent.Serve;

/// <summary>Settings of <c>polaris-agent serve</c>: defaults, then the config file, then environment variables
/// (<c>POLARIS_AGENT_</c> and the setting's name in capitals with underscores: <c>spoolMaxBytes</c> is
/// <c>POLARIS_AGENT_SPOOL_MAX_BYTES</c>), then the command line.</summary>
public sealed record AgentOptions
{
    /// <summary>Default config file read when it exists and no <c>--config</c> is given.</summary>
    public const string DefaultConfigFile = "/etc/polaris-agent/agent.json";

    /// <summary>Folder the hook writes record files into (mode 1733). Default <c>/var/spool/polaris-agent/incoming</c>.</summary>
    public string Drop { get; init; } = DefaultDrop;

    /// <summary>The drop folder the hook uses when <c>POLARIS_AGENT_DROP</c> is not set.</summary>
    public const string DefaultDrop = "/var/spool/polaris-agent/incoming";

    /// <summary>Folder for batches not yet acknowledged by the collector. Default <c>/var/spool/polaris-agent/batches</c>.</summary>
    public string Spool { get; init; } = "/var/spool/polaris-agent/batches";

    /// <summary>Records per second a user's files are taken in at, past the burst; beyond, they are dropped and
    /// counted. Default 500.</summary>
    public int UserRecordsPerSecond { get; init; } = 500;

    /// <summary>Records a user may drop at once (the ranks of a job ending together). Default 10000.</summary>
    public int UserRecordBurst { get; init; } = 10_000;

    /// <summary>Most bytes the spool may hold; past it the oldest batches are dropped and counted. Default 256 MiB.</summary>
    public long SpoolMaxBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Age past which a spooled batch is dropped and counted. Default 7 days.</summary>
    public TimeSpan SpoolMaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Free space the spool leaves on its file system; below it the oldest batches are dropped and counted.
    /// Default 64 MiB.</summary>
    public long SpoolMinFreeBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Base URLs of the collector, tried in order: when one cannot be reached the next is used (fail-over).
    /// Default <c>http://127.0.0.1:8470/</c>.</summary>
    public IReadOnlyList<Uri> Collectors { get; init; } = [new("http://127.0.0.1:8470/")];

    /// <summary>PEM file of the certificate authorities that sign an https collector's certificate, instead of the
    /// system's; empty for the system's.</summary>
    public string CaFile { get; init; } = "";

    /// <summary>File holding the bearer token sent to the collector; it must be readable by the daemon's user
    /// alone. Default systemd's credential <c>token</c> (<c>LoadCredential=</c>), else empty: no token.</summary>
    public string TokenFile { get; init; } = SystemdCredential.PathOrNone("token");

    /// <summary>A summary is closed once no record has joined it for this long (the ranks of a job end together).
    /// Default 2 s.</summary>
    public TimeSpan SummaryQuiet { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A summary is closed at the latest this long after its first record. Default 60 s.</summary>
    public TimeSpan SummaryWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A record file open and written to for this long is read while its writer runs, and its process shipped in
    /// a live summary (docs/wire-format.md); zero: only records of ended processes are read. Default 10 s: a job's
    /// imports at start-up reach the collector within the summary window, and a process that ends within its first
    /// seconds (most do) costs nothing more. At most <see cref="SummaryWindow"/>.</summary>
    public TimeSpan LiveAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Processes that fill a summary. Default 1024: more ranks of one job than a node has cores, and a summary
    /// that size encodes in a few hundred kilobytes, which keeps the daemon's peak memory small.</summary>
    public int SummaryMaxProcesses { get; init; } = 1024;

    /// <summary>Summaries open at once; one more closes the one that waited longest for a record, so that a user who
    /// runs thousands of different scripts cannot make the daemon hold thousands of module tables. Default 256.</summary>
    public int SummaryMaxOpen { get; init; } = 256;

    /// <summary>Summaries that make a batch full. Default 100.</summary>
    public int MaxBatchSummaries { get; init; } = 100;

    /// <summary>Unix socket <c>polaris-agent status</c> asks (systemd may pass it in instead). Default
    /// <c>/run/polaris-agent/status.sock</c>.</summary>
    public string StatusSocket { get; init; } = DefaultStatusSocket;

    /// <summary>The status socket <c>status</c> asks when none is named.</summary>
    public const string DefaultStatusSocket = "/run/polaris-agent/status.sock";

    /// <summary>Folder of the node exporter's textfile collector, where the daemon keeps <c>polaris_agent.prom</c>
    /// current; empty: none.</summary>
    public string TextfileDirectory { get; init; } = "";

    /// <summary>Largest record file accepted; larger ones are dropped and counted. Default 8 MiB.</summary>
    public int MaxRecordBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Records waiting between receive and aggregation; past it record files wait in the drop folder.
    /// Default 16: a whole record is some 60 KB in memory, and the aggregator folds one faster than one is read.</summary>
    public int QueueCapacity { get; init; } = 16;

    /// <summary>The facility's base conda environments (absolute prefixes); changes are reported against the first. Default none.</summary>
    public IReadOnlyList<string> BaseEnvironments { get; init; } = [];

    /// <summary>Roots of home directories, besides each user's passwd home. Default <c>/home</c>.</summary>
    public IReadOnlyList<string> HomeRoots { get; init; } = EnrichOptions.DefaultHomeRoots;

    /// <summary>Shared project file systems. Default <c>/lus</c>, <c>/eagle</c>, <c>/grand</c>, <c>/projects</c>.</summary>
    public IReadOnlyList<string> ProjectRoots { get; init; } = EnrichOptions.DefaultProjectRoots;

    /// <summary>The operating system's folders. Default <c>/usr</c>, <c>/lib</c>, <c>/lib64</c>, <c>/bin</c>, <c>/sbin</c>,
    /// <c>/etc</c>, <c>/opt/cray</c>, <c>/opt/nvidia</c>.</summary>
    public IReadOnlyList<string> SystemPrefixes { get; init; } = EnrichOptions.DefaultSystemPrefixes;

    private static readonly HashSet<string> CommandLineOptions = ["drop", "spool", "collector", "config", "set"];

    /// <summary>Builds the options from <c>serve</c>'s arguments and the process environment; a bad setting throws
    /// <see cref="UsageException"/> naming it.</summary>
    public static AgentOptions Load(IReadOnlyList<string> args) => Load(args, EnvironmentVariables());

    /// <summary>Builds the options from <c>serve</c>'s arguments and the given environment variables.</summary>
    public static AgentOptions Load(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var cli = new OptionReader(args, CommandLineOptions);
        if (cli.Operands.Count > 0)
        {
            throw new UsageException($"serve takes no operands: '{cli.Operands[0]}'");
        }
        AgentSettings.RefuseUnknownVariables(environment);
        var options = FromFileAndEnvironment(cli.Get("config"), environment);
        // --set KEY=VALUE sets any key as its variable would, for a one-off run without editing the file.
        foreach (var assignment in cli.GetAll("set"))
        {
            var (key, value) = assignment.IndexOf('=', StringComparison.Ordinal) is var eq and > 0
                ? (assignment[..eq], assignment[(eq + 1)..])
                : throw new UsageException($"option --set takes KEY=VALUE, not '{assignment}'");
            options = AgentSettings.Apply(options, key, SettingValue.FromText($"option --set {key}", value));
        }
        if (cli.Get("drop") is { } drop)
        {
            options = AgentSettings.Apply(options, "drop", SettingValue.FromText("option --drop", drop));
        }
        if (cli.Get("spool") is { } spool)
        {
            options = AgentSettings.Apply(options, "spool", SettingValue.FromText("option --spool", spool));
        }
        if (cli.GetAll("collector") is { Count: > 0 } urls)
        {
            options = AgentSettings.Apply(options, "collector", SettingValue.FromText("option --collector", string.Join(',', urls)));
        }
        options.Validate();
        return options;
    }

    /// <summary>The defaults, then the config file (<paramref name="configFile"/>, else <c>POLARIS_AGENT_CONFIG</c>,
    /// else <see cref="DefaultConfigFile"/> when it exists), then the <c>POLARIS_AGENT_*</c> variables; not validated
    /// as a whole.</summary>
    public static AgentOptions FromFileAndEnvironment(string? configFile, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var options = new AgentOptions();
        configFile ??= environment.GetValueOrDefault(AgentSettings.ConfigVariable) ?? (File.Exists(DefaultConfigFile) ? DefaultConfigFile : null);
        if (configFile != null)
        {
            options = AgentSettings.ApplyFile(options, configFile);
        }
        return AgentSettings.ApplyEnvironment(options, environment);
    }

    /// <summary>The process's <c>POLARIS_AGENT_*</c> variables.</summary>
    public static Dictionary<string, string> EnvironmentVariables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith(AgentSettings.VariablePrefix, StringComparison.Ordinal) && entry.Value is string value)
            {
                variables[name] = value;
            }
        }
        return variables;
    }

    private void Validate()
    {
        Require(Drop.Length > 0, "drop", "must not be empty");
        Require(Spool.Length > 0, "spool", "must not be empty");
        Require(SummaryQuiet > TimeSpan.Zero && SummaryQuiet <= TimeSpan.FromHours(1), "summaryQuietMs", "must be between 1 ms and 1 hour");
        Require(SummaryWindow >= SummaryQuiet && SummaryWindow <= TimeSpan.FromDays(1), "summaryWindowMs", "must be between summaryQuietMs and 1 day");
        Require(LiveAfter >= TimeSpan.Zero && LiveAfter <= SummaryWindow, "liveAfterMs", "must be between 0 (off) and summaryWindowMs");
        Require(SummaryMaxProcesses is > 0 and <= 1_000_000, "summaryMaxProcesses", "must be between 1 and 1000000");
        Require(SummaryMaxOpen is > 0 and <= 100_000, "summaryMaxOpen", "must be between 1 and 100000");
        Require(MaxBatchSummaries is > 0 and <= 100_000, "maxBatchSummaries", "must be between 1 and 100000");
        Require(MaxRecordBytes is >= 4096 and <= 256 * 1024 * 1024, "maxRecordBytes", "must be between 4096 and 268435456");
        Require(QueueCapacity is > 0 and <= 1_000_000, "queueCapacity", "must be between 1 and 1000000");
        Require(UserRecordsPerSecond is > 0 and <= 1_000_000, "userRecordsPerSecond", "must be between 1 and 1000000");
        Require(UserRecordBurst is > 0 and <= 10_000_000, "userRecordBurst", "must be between 1 and 10000000");
        Require(SpoolMaxBytes is >= 64 * 1024 and <= 1L << 40, "spoolMaxBytes", "must be between 65536 and 1099511627776");
        Require(SpoolMaxAge >= TimeSpan.FromHours(1) && SpoolMaxAge <= TimeSpan.FromDays(3650), "spoolMaxAgeHours", "must be between 1 and 87600");
        Require(SpoolMinFreeBytes is >= 0 and <= 1L << 40, "spoolMinFreeBytes", "must be between 0 and 1099511627776");
        Require(Collectors.Count > 0, "collector", "must name at least one URL");
        Require(CaFile.Length == 0 || File.Exists(CaFile), "caFile", $"names a file that does not exist: {CaFile}");
        Require(TokenFile.Length == 0 || File.Exists(TokenFile), "tokenFile", $"names a file that does not exist: {TokenFile}");
        Require(SettingValue.IsAbsolutePath(StatusSocket), "statusSocket", "must be an absolute path");
    }

    private static void Require(bool ok, string setting, string rule)
    {
        if (!ok)
        {
            throw new UsageException($"setting '{setting}' {rule}");
        }
    }
}
