using System.Globalization;
using Polaris.Collector.Cli;
using Polaris.Collector.Settings;
using Polaris.Wire;

namespace Polaris.Collector;

/// <summary>Settings of <c>polaris-collector serve</c>: defaults, then the config file (one flat JSON object of
/// camelCase keys, as the agent's), then environment variables (<c>POLARIS_COLLECTOR_</c> and the key in capitals
/// with underscores: <c>maxBatchBytes</c> is <c>POLARIS_COLLECTOR_MAX_BATCH_BYTES</c>), then the command line.</summary>
/// <remarks>Each property is its key in PascalCase; <see cref="CollectorSettings.All"/> reads them.</remarks>
public sealed record CollectorOptions
{
    /// <summary>Default config file, read when it exists and neither <c>--config</c> nor <c>POLARIS_COLLECTOR_CONFIG</c>
    /// names one.</summary>
    public const string DefaultConfigFile = "/etc/polaris-collector/collector.json";

    /// <summary>Where Kestrel listens, URLs separated by <c>;</c>. Default <c>http://127.0.0.1:8470</c>: loopback until an
    /// admin opens it. An https URL needs <see cref="TlsCertificate"/>.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:8470";

    /// <summary>Folder of the LiteDB file <c>polaris.db</c>. Default systemd's <c>$STATE_DIRECTORY</c>, else <c>./polaris-data</c>.</summary>
    public string Data { get; init; } = Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } state
        ? state.Split(':')[0]
        : "polaris-data";

    /// <summary>File of the bearer tokens agents must show to post batches, one per line; empty: no token needed
    /// (loopback only, until an admin opens the collector). Default systemd's credential <c>agent-tokens</c>, else empty.</summary>
    public string TokenFile { get; init; } = SystemdCredential.PathOrNone("agent-tokens");

    /// <summary>File of the bearer tokens that may read aggregates (<c>/metrics</c>, <c>/v1/libraries</c>), one per line:
    /// Prometheus's. Empty, and no admin token: those answer loopback only. Default systemd's credential
    /// <c>read-tokens</c>, else empty.</summary>
    public string ReadTokenFile { get; init; } = SystemdCredential.PathOrNone("read-tokens");

    /// <summary>File of the bearer tokens that may read what names users and jobs (<c>/v1/summaries</c>) and the
    /// aggregates. Empty: user-level data answers loopback only. Default systemd's credential <c>admin-tokens</c>, else
    /// empty.</summary>
    public string AdminTokenFile { get; init; } = SystemdCredential.PathOrNone("admin-tokens");

    /// <summary>PEM file of the certificate (and its chain) served on https URLs. Default empty: http only.</summary>
    public string TlsCertificate { get; init; } = "";

    /// <summary>PEM file of <see cref="TlsCertificate"/>'s private key. Default systemd's credential <c>tls-key</c>, else
    /// empty: the key is in the certificate's file.</summary>
    public string TlsKey { get; init; } = SystemdCredential.PathOrNone("tls-key");

    /// <summary>Largest compressed batch accepted, in bytes. Default 32 MiB; 1024 to 1 GiB.</summary>
    public int MaxBatchBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Largest batch after decompression, in bytes. Default <see cref="Polaris.Wire.SummaryBounds.MaxBatchBytes"/>
    /// (32 MiB); 1024 to 1 GiB.</summary>
    public int MaxDecompressedBytes { get; init; } = Polaris.Wire.SummaryBounds.MaxBatchBytes;

    /// <summary>The budget of <see cref="MaxBytesInFlight"/> when none is set, unless one largest request needs more.</summary>
    public const long DefaultMaxBytesInFlight = 512L * 1024 * 1024;

    // Null until set: the default then grows with the batch limits, so that raising maxBatchBytes alone never leaves
    // a budget that one largest batch cannot fit (it would be answered 503 for ever, and retried for ever).
    private readonly long? _maxBytesInFlight;

    /// <summary>Bytes all batches being taken in may hold at once (bodies, decompression buffers and the objects
    /// decoded from them); past it a post is answered 503 with Retry-After. Default 512 MiB, or what one largest batch
    /// needs (<see cref="LargestRequestBytes"/>) when that is more; when set, at least that and at most 64 GiB.</summary>
    public long MaxBytesInFlight
    {
        get => _maxBytesInFlight ?? Math.Max(DefaultMaxBytesInFlight, LargestRequestBytes);
        init => _maxBytesInFlight = value;
    }

    /// <summary>What the objects decoded from a real batch hold, per byte of its MessagePack, as the decoder
    /// estimates them: module names and paths measured 3.7, estimated 5.1.</summary>
    public const int DecodedBytesPerByte = 6;

    /// <summary>What one largest real request may take of <see cref="MaxBytesInFlight"/>: its body, the buffers its
    /// decompression grows through (doubling, so up to twice the decompressed limit) and its decoded objects.</summary>
    public long LargestRequestBytes => MaxBatchBytes + 1L + ((2L + DecodedBytesPerByte) * (MaxDecompressedBytes + 1L));

    /// <summary>Days summaries, batch keys and unreferenced module tables are kept. Default 90; 1 to 36500.</summary>
    public int RetentionDays { get; init; } = 90;

    /// <summary>Days daily roll-ups are kept. Default 3650; from <see cref="RetentionDays"/> to 36500.</summary>
    public int RollupRetentionDays { get; init; } = 3650;

    /// <summary>Seconds between the maintenance thread's checkpoints of the store's log. Default 60; 1 to 86400.</summary>
    public int CheckpointSeconds { get; init; } = 60;

    /// <summary>Bytes of the store's log (<c>polaris-log.db</c>) past which a checkpoint runs at once. Default 256 MiB;
    /// at least 1 MiB.</summary>
    public long MaxLogBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>CSV file of <c>project,domain</c> lines mapping a job's account to its science domain. Default empty:
    /// every job's domain is <c>unknown</c>. When set, the file must exist.</summary>
    public string DomainFile { get; init; } = "";

    /// <summary>The base environment's own package list (<c>conda list --export</c>, <c>conda list</c>,
    /// <c>conda env export</c> or pip's <c>name==version</c> lines), read each time the provisioning report runs: what the
    /// base already has, and at which version. Default empty: the versions seen loaded from the base stand in. When set,
    /// the file must exist.</summary>
    public string BaseEnvironmentPackages { get; init; } = "";

    /// <summary>Libraries that get a <c>library</c> label whatever their users, before the others. Default none; at
    /// most <see cref="MaxLibraryLabels"/>.</summary>
    public IReadOnlyList<string> LibraryAllowlist { get; init; } = [];

    /// <summary>Distinct <c>library</c> label values in /metrics before new ones fold into <c>other</c>. Default 1000;
    /// 1 to 1000000.</summary>
    public int MaxLibraryLabels { get; init; } = 1000;

    /// <summary>Distinct users that must have used a library (not in <see cref="LibraryAllowlist"/>) before it gets a
    /// label, so that one user cannot fill the budget with made-up names. Default 2; 1 to 1000000.</summary>
    public int LibraryLabelMinUsers { get; init; } = 2;

    /// <summary>Distinct users a report's row needs to be shown to a read token (k-anonymity: a count of one or two
    /// users of a library in a small domain could name them); the admin token sees every row. Default 3; 1 to 1000.</summary>
    public int ReportMinimumUsers { get; init; } = 3;

    /// <summary>Distinct <c>node</c> label values in /metrics. Default 20000; 1 to 1000000.</summary>
    public int MaxNodeLabels { get; init; } = 20_000;

    /// <summary>User names the store numbers across sources (collection <c>users</c>). Default 100000; 1000 to 10000000.</summary>
    public int MaxUserNames { get; init; } = 100_000;

    /// <summary>Seconds without a summary after which a home-loading job's series goes. Default 900; 10 to 604800.</summary>
    public int HomeJobQuietSeconds { get; init; } = 900;

    /// <summary>Milliseconds between folds of stored summaries into roll-ups and totals. Default 1000; 10 to 600000.</summary>
    public int FoldMilliseconds { get; init; } = 1000;

    /// <summary>IANA name of the PBS server's time zone, in which its accounting logs' dates are written
    /// (<c>import-pbs</c>, <c>POST /v1/pbs</c>). Default empty: this machine's local zone.</summary>
    public string PbsTimeZone { get; init; } = "";

    /// <summary>Prefixes of the facility's base conda environments, as the agent's setting of the same name.
    /// Default none.</summary>
    public IReadOnlyList<string> BaseEnvironments { get; init; } = [];

    /// <summary>Roots of home directories, as the agent's. Default <c>/home</c>.</summary>
    public IReadOnlyList<string> HomeRoots { get; init; } = OriginRoots.DefaultHomeRoots;

    /// <summary>Shared project file systems, as the agent's. Default <c>/lus</c>, <c>/eagle</c>, <c>/grand</c>,
    /// <c>/projects</c>.</summary>
    public IReadOnlyList<string> ProjectRoots { get; init; } = OriginRoots.DefaultProjectRoots;

    /// <summary>The operating system's folders, as the agent's. Default <c>/usr</c>, <c>/lib</c>, <c>/lib64</c>,
    /// <c>/bin</c>, <c>/sbin</c>, <c>/etc</c>, <c>/opt/cray</c>, <c>/opt/nvidia</c>.</summary>
    public IReadOnlyList<string> SystemPrefixes { get; init; } = OriginRoots.DefaultSystemPrefixes;

    /// <summary>The rules that classify a path's origin by these settings' roots, as the agents do where a path needs
    /// no disk: for records of other tools (XALT, PyModuleSnooper), whose nodes the collector cannot look at.</summary>
    /// <exception cref="ArgumentException">A root is not an absolute path (<see cref="Validate"/> refuses that first).</exception>
    public OriginRules OriginRules() => new(new OriginRoots
    {
        BaseEnvironments = BaseEnvironments,
        HomeRoots = HomeRoots,
        ProjectRoots = ProjectRoots,
        SystemPrefixes = SystemPrefixes,
    });

    /// <summary>The zone <see cref="PbsTimeZone"/> names, or the local one.</summary>
    /// <exception cref="UsageException">The name is no zone this machine knows.</exception>
    public TimeZoneInfo PbsServerTimeZone()
    {
        if (PbsTimeZone.Length == 0)
        {
            return TimeZoneInfo.Local;
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(PbsTimeZone, out var zone)
            ? zone
            : throw new UsageException($"setting 'pbsTimeZone' names no time zone this machine knows: '{PbsTimeZone}' (an IANA name, as Europe/Paris)");
    }

    // Options of serve's command line, and the settings they set.
    private static readonly Dictionary<string, string> CommandLineOptions = new(StringComparer.Ordinal)
    {
        ["urls"] = "urls",
        ["data"] = "data",
        ["token-file"] = "tokenFile",
        ["read-token-file"] = "readTokenFile",
        ["admin-token-file"] = "adminTokenFile",
    };

    /// <summary>Builds the options from <c>serve</c>'s arguments and the process environment.</summary>
    /// <exception cref="UsageException">An argument, a variable, the config file or a value is wrong; the message names it.</exception>
    /// <exception cref="HelpRequest"><c>--help</c> or <c>-h</c> was given.</exception>
    public static CollectorOptions Load(IReadOnlyList<string> args) => Load(args, EnvironmentVariables());

    /// <summary>Builds the options from <c>serve</c>'s arguments and the given environment variables.</summary>
    /// <exception cref="UsageException">An argument, a variable, the config file or a value is wrong; the message names it.</exception>
    /// <exception cref="HelpRequest"><c>--help</c> or <c>-h</c> was given.</exception>
    public static CollectorOptions Load(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var cli = new OptionReader(args, new HashSet<string>(CommandLineOptions.Keys.Append("config").Append("set"), StringComparer.Ordinal));
        if (cli.Operands.Count > 0)
        {
            throw new UsageException($"serve takes no operands: '{cli.Operands[0]}'");
        }
        CollectorSettings.RefuseUnknownVariables(environment);
        var options = FromFileAndEnvironment(cli.Get("config"), environment);
        // --set KEY=VALUE sets any key as its variable would, for a one-off run without editing the file.
        foreach (var assignment in cli.GetAll("set"))
        {
            var (key, value) = assignment.IndexOf('=', StringComparison.Ordinal) is var eq and > 0
                ? (assignment[..eq], assignment[(eq + 1)..])
                : throw new UsageException($"option --set takes KEY=VALUE, not '{assignment}'");
            options = CollectorSettings.Apply(options, key, SettingValue.FromText($"option --set {key}", value));
        }
        foreach (var (option, setting) in CommandLineOptions)
        {
            if (cli.Get(option) is { } value)
            {
                options = CollectorSettings.Apply(options, setting, SettingValue.FromText($"option --{option}", value));
            }
        }
        options.Validate();
        return options;
    }

    /// <summary>The defaults, then the config file (<paramref name="configFile"/>, else <c>POLARIS_COLLECTOR_CONFIG</c>,
    /// else <see cref="DefaultConfigFile"/> when it exists), then the <c>POLARIS_COLLECTOR_*</c> variables; not
    /// validated as a whole.</summary>
    public static CollectorOptions FromFileAndEnvironment(string? configFile, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var options = new CollectorOptions();
        configFile ??= environment.GetValueOrDefault(CollectorSettings.ConfigVariable) ?? (File.Exists(DefaultConfigFile) ? DefaultConfigFile : null);
        if (configFile != null)
        {
            options = CollectorSettings.ApplyFile(options, configFile);
        }
        return CollectorSettings.ApplyEnvironment(options, environment);
    }

    /// <summary>The process's <c>POLARIS_COLLECTOR_*</c> variables.</summary>
    public static Dictionary<string, string> EnvironmentVariables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith(CollectorSettings.VariablePrefix, StringComparison.Ordinal) && entry.Value is string value)
            {
                variables[name] = value;
            }
        }
        return variables;
    }

    /// <summary>Checks every setting against its range and the others; throws <see cref="UsageException"/> naming the
    /// first that is wrong.</summary>
    public void Validate()
    {
        var urls = Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Require(urls.Length > 0, "urls", "must name at least one URL");
        var badUrl = urls.FirstOrDefault(u => !SettingValue.IsListenUrl(u));
        Require(badUrl == null, "urls", $"holds '{badUrl}', not an http or https URL");
        Require(!string.IsNullOrWhiteSpace(Data), "data", "must name a folder");
        RequireFile(TokenFile, "tokenFile");
        RequireFile(ReadTokenFile, "readTokenFile");
        RequireFile(AdminTokenFile, "adminTokenFile");
        RequireFile(TlsCertificate, "tlsCertificate");
        RequireFile(TlsKey, "tlsKey");
        Require(TlsKey.Length == 0 || TlsCertificate.Length > 0, "tlsKey", "needs tlsCertificate");
        Require(TlsCertificate.Length > 0 || !urls.Any(u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase)), "tlsCertificate",
            "must name the certificate to serve the https URL of setting 'urls'");
        RequireRange(MaxBatchBytes, 1024, 1024 * 1024 * 1024, "maxBatchBytes");
        RequireRange(MaxDecompressedBytes, 1024, 1024 * 1024 * 1024, "maxDecompressedBytes");
        // A budget that one largest batch cannot fit would answer that batch 503 for ever, and the agent retry it for ever.
        RequireRange(MaxBytesInFlight, LargestRequestBytes, 64L * 1024 * 1024 * 1024, "maxBytesInFlight");
        RequireRange(RetentionDays, 1, 36_500, "retentionDays");
        RequireRange(RollupRetentionDays, RetentionDays, 36_500, "rollupRetentionDays", "retentionDays");
        RequireRange(CheckpointSeconds, 1, 86_400, "checkpointSeconds");
        RequireRange(MaxLogBytes, 1024 * 1024, 1L << 40, "maxLogBytes");
        RequireFile(DomainFile, "domainFile");
        RequireFile(BaseEnvironmentPackages, "baseEnvironmentPackages");
        RequireRange(MaxLibraryLabels, 1, 1_000_000, "maxLibraryLabels");
        var badName = LibraryAllowlist.FirstOrDefault(l => l.Length == 0 || l.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)));
        Require(badName == null, "libraryAllowlist", $"holds '{badName}', not a library name");
        Require(LibraryAllowlist.Count <= MaxLibraryLabels, "libraryAllowlist", $"names {LibraryAllowlist.Count} libraries, more than maxLibraryLabels ({MaxLibraryLabels})");
        RequireRange(LibraryLabelMinUsers, 1, 1_000_000, "libraryLabelMinUsers");
        RequireRange(ReportMinimumUsers, 1, 1000, "reportMinimumUsers");
        RequireRange(MaxNodeLabels, 1, 1_000_000, "maxNodeLabels");
        RequireRange(MaxUserNames, 1000, 10_000_000, "maxUserNames");
        RequireRange(HomeJobQuietSeconds, 10, 604_800, "homeJobQuietSeconds");
        RequireRange(FoldMilliseconds, 10, 600_000, "foldMilliseconds");
        _ = PbsServerTimeZone();
        RequireAbsolutePaths(BaseEnvironments, "baseEnvironments");
        RequireAbsolutePaths(HomeRoots, "homeRoots");
        RequireAbsolutePaths(ProjectRoots, "projectRoots");
        RequireAbsolutePaths(SystemPrefixes, "systemPrefixes");
    }

    // As the agent's: a relative root would match no path Python reports, silently.
    private static void RequireAbsolutePaths(IReadOnlyList<string> paths, string setting)
    {
        var bad = paths.FirstOrDefault(p => !p.StartsWith('/') || p.Contains('\0', StringComparison.Ordinal));
        Require(bad == null, setting, $"holds '{bad}', not an absolute path");
    }

    private static void RequireRange(long value, long min, long max, string setting, string? minName = null) =>
        Require(value >= min && value <= max, setting, string.Create(CultureInfo.InvariantCulture,
            $"must be between {(minName == null ? "" : minName + " (")}{min}{(minName == null ? "" : ")")} and {max}, not {value}"));

    private static void RequireFile(string path, string setting) =>
        Require(path.Length == 0 || File.Exists(path), setting, $"names a file that does not exist: {path}");

    private static void Require(bool ok, string setting, string rule)
    {
        if (!ok)
        {
            throw new UsageException($"setting '{setting}' {rule}");
        }
    }
}
