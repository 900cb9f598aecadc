using System.Globalization;
using System.Text.Json;
using Polaris.Agent.Cli;
using Polaris.Agent.Serve.Enrich;

namespace Polaris.Agent.Serve;

/// <summary>Settings of <c>polaris-agent serve</c>, from defaults, then the config file, then the command line.</summary>
public sealed record AgentOptions
{
    /// <summary>Default config file read when it exists and no <c>--config</c> is given.</summary>
    public const string DefaultConfigFile = "/etc/polaris-agent/agent.json";

    /// <summary>Folder the hook writes record files into (mode 1733). Default <c>/var/spool/polaris-agent/incoming</c>.</summary>
    public string Drop { get; init; } = DefaultDrop;

    /// <summary>The drop folder the hook uses when <c>POLARIS_AGENT_DROP</c> is not set.</summary>
    public const string DefaultDrop = "/var/spool/polaris-agent/incoming";

    /// <summary>Folder for batches not yet acknowledged by the collector. Default <c>/var/spool/polaris-agent</c>.</summary>
    public string Spool { get; init; } = "/var/spool/polaris-agent";

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

    /// <summary>Base URL of the collector. Default <c>http://127.0.0.1:8470/</c>.</summary>
    public Uri Collector { get; init; } = new("http://127.0.0.1:8470/");

    /// <summary>How long the first record of a batch waits for company before the batch is spooled. Default 1 s.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Records that make a batch full. Default 1000.</summary>
    public int MaxBatchRecords { get; init; } = 1000;

    /// <summary>Largest record file accepted; larger ones are dropped and counted. Default 8 MiB.</summary>
    public int MaxRecordBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Records waiting between receive and batching; past it record files wait in the drop folder. Default 10000.</summary>
    public int QueueCapacity { get; init; } = 10_000;

    /// <summary>The facility's base conda environments (absolute prefixes); changes are reported against the first. Default none.</summary>
    public IReadOnlyList<string> BaseEnvironments { get; init; } = [];

    /// <summary>Roots of home directories, besides each user's passwd home. Default <c>/home</c>.</summary>
    public IReadOnlyList<string> HomeRoots { get; init; } = EnrichOptions.DefaultHomeRoots;

    /// <summary>Shared project file systems. Default <c>/lus</c>, <c>/eagle</c>, <c>/grand</c>, <c>/projects</c>.</summary>
    public IReadOnlyList<string> ProjectRoots { get; init; } = EnrichOptions.DefaultProjectRoots;

    /// <summary>The operating system's folders. Default <c>/usr</c>, <c>/lib</c>, <c>/lib64</c>, <c>/bin</c>, <c>/sbin</c>,
    /// <c>/etc</c>, <c>/opt/cray</c>, <c>/opt/nvidia</c>.</summary>
    public IReadOnlyList<string> SystemPrefixes { get; init; } = EnrichOptions.DefaultSystemPrefixes;

    private static readonly HashSet<string> CommandLineOptions = ["drop", "spool", "collector", "config"];

    /// <summary>Builds the options from <c>serve</c>'s arguments; a bad setting throws <see cref="UsageException"/> naming it.</summary>
    public static AgentOptions Load(IReadOnlyList<string> args)
    {
        var cli = new OptionReader(args, CommandLineOptions);
        if (cli.Operands.Count > 0)
        {
            throw new UsageException($"serve takes no operands: '{cli.Operands[0]}'");
        }
        var options = new AgentOptions();
        var configFile = cli.Get("config") ?? (File.Exists(DefaultConfigFile) ? DefaultConfigFile : null);
        if (configFile != null)
        {
            options = options.WithFile(configFile);
        }
        options = options with
        {
            Drop = cli.Get("drop") ?? options.Drop,
            Spool = cli.Get("spool") ?? options.Spool,
            Collector = cli.Get("collector") is { } url ? ParseUrl("--collector", url) : options.Collector,
        };
        options.Validate();
        return options;
    }

    private AgentOptions WithFile(string path)
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
            var options = this;
            foreach (var setting in document.RootElement.EnumerateObject())
            {
                var where = $"config file {path}: setting '{setting.Name}'";
                options = setting.Name switch
                {
                    "drop" => options with { Drop = Text(where, setting.Value) },
                    "spool" => options with { Spool = Text(where, setting.Value) },
                    "collector" => options with { Collector = ParseUrl(where, Text(where, setting.Value)) },
                    "batchWindowMs" => options with { BatchWindow = TimeSpan.FromMilliseconds(Number(where, setting.Value)) },
                    "maxBatchRecords" => options with { MaxBatchRecords = Number(where, setting.Value) },
                    "maxRecordBytes" => options with { MaxRecordBytes = Number(where, setting.Value) },
                    "queueCapacity" => options with { QueueCapacity = Number(where, setting.Value) },
                    "userRecordsPerSecond" => options with { UserRecordsPerSecond = Number(where, setting.Value) },
                    "userRecordBurst" => options with { UserRecordBurst = Number(where, setting.Value) },
                    "spoolMaxBytes" => options with { SpoolMaxBytes = Bytes(where, setting.Value) },
                    "spoolMaxAgeHours" => options with { SpoolMaxAge = TimeSpan.FromHours(Number(where, setting.Value)) },
                    "spoolMinFreeBytes" => options with { SpoolMinFreeBytes = Bytes(where, setting.Value) },
                    "baseEnvironments" => options with { BaseEnvironments = AbsolutePaths(where, setting.Value) },
                    "homeRoots" => options with { HomeRoots = AbsolutePaths(where, setting.Value) },
                    "projectRoots" => options with { ProjectRoots = AbsolutePaths(where, setting.Value) },
                    "systemPrefixes" => options with { SystemPrefixes = AbsolutePaths(where, setting.Value) },
                    _ => throw new UsageException($"{where} is not a known setting"),
                };
            }
            return options;
        }
    }

    private void Validate()
    {
        Require(Drop.Length > 0, "drop", "must not be empty");
        Require(Spool.Length > 0, "spool", "must not be empty");
        Require(BatchWindow > TimeSpan.Zero && BatchWindow <= TimeSpan.FromHours(1), "batchWindowMs", "must be between 1 ms and 1 hour");
        Require(MaxBatchRecords is > 0 and <= 100_000, "maxBatchRecords", "must be between 1 and 100000");
        Require(MaxRecordBytes is >= 4096 and <= 256 * 1024 * 1024, "maxRecordBytes", "must be between 4096 and 268435456");
        Require(QueueCapacity is > 0 and <= 10_000_000, "queueCapacity", "must be between 1 and 10000000");
        Require(UserRecordsPerSecond is > 0 and <= 1_000_000, "userRecordsPerSecond", "must be between 1 and 1000000");
        Require(UserRecordBurst is > 0 and <= 10_000_000, "userRecordBurst", "must be between 1 and 10000000");
        Require(SpoolMaxBytes is >= 64 * 1024 and <= 1L << 40, "spoolMaxBytes", "must be between 65536 and 1099511627776");
        Require(SpoolMaxAge >= TimeSpan.FromHours(1) && SpoolMaxAge <= TimeSpan.FromDays(3650), "spoolMaxAgeHours", "must be between 1 and 87600");
        Require(SpoolMinFreeBytes is >= 0 and <= 1L << 40, "spoolMinFreeBytes", "must be between 0 and 1099511627776");
        Require(BaseEnvironments.All(IsAbsolutePath), "baseEnvironments", "must hold absolute paths");
        Require(HomeRoots.All(IsAbsolutePath), "homeRoots", "must hold absolute paths");
        Require(ProjectRoots.All(IsAbsolutePath), "projectRoots", "must hold absolute paths");
        Require(SystemPrefixes.All(IsAbsolutePath), "systemPrefixes", "must hold absolute paths");
    }

    private static void Require(bool ok, string setting, string rule)
    {
        if (!ok)
        {
            throw new UsageException($"setting '{setting}' {rule}");
        }
    }

    private static Uri ParseUrl(string where, string text) =>
        Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"{where}: '{text}' is not an http or https URL");

    private static string Text(string where, JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new UsageException($"{where} must be a string");

    private static string[] AbsolutePaths(string where, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new UsageException($"{where} must be an array of absolute paths");
        }
        var paths = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            var path = item.ValueKind == JsonValueKind.String ? item.GetString()! : "";
            if (!IsAbsolutePath(path))
            {
                throw new UsageException($"{where} must hold absolute paths, not {item.GetRawText()}");
            }
            paths.Add(path);
        }
        return [.. paths];
    }

    private static bool IsAbsolutePath(string path) => path.StartsWith('/') && !path.Contains('\0', StringComparison.Ordinal);

    private static long Bytes(string where, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)
            ? n
            : throw new UsageException($"{where} must be a whole number of bytes, not {value.GetRawText()}");

    private static int Number(string where, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n)
            ? n
            : throw new UsageException($"{where} must be a whole number, not {value.GetRawText().ToString(CultureInfo.InvariantCulture)}");
}
