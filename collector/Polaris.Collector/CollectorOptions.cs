namespace Polaris.Collector;

/// <summary>Settings of <c>polaris-collector serve</c>: section <c>Collector</c> of the config file, environment
/// (<c>POLARIS_COLLECTOR_*</c>) and command line, later sources winning.</summary>
public sealed record CollectorOptions
{
    /// <summary>Where Kestrel listens. Default <c>http://127.0.0.1:8470</c>: loopback until an admin opens it.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:8470";

    /// <summary>Folder of the LiteDB file <c>polaris.db</c>. Default systemd's <c>$STATE_DIRECTORY</c>, else <c>./polaris-data</c>.</summary>
    public string Data { get; init; } = Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } state
        ? state.Split(':')[0]
        : "polaris-data";

    /// <summary>Largest compressed batch accepted, in bytes. Default 32 MiB.</summary>
    public int MaxBatchBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Largest batch after decompression, in bytes. Default <see cref="Polaris.Wire.SummaryBounds.MaxBatchBytes"/> (32 MiB).</summary>
    public int MaxDecompressedBytes { get; init; } = Polaris.Wire.SummaryBounds.MaxBatchBytes;

    /// <summary>Bytes all batches being taken in may hold at once (bodies, decompression buffers and the objects
    /// decoded from them); past it a post is answered 503 with Retry-After. Default 512 MiB; at least what one
    /// largest batch needs (<see cref="LargestRequestBytes"/>).</summary>
    public long MaxBytesInFlight { get; init; } = 512L * 1024 * 1024;

    /// <summary>What the objects decoded from a real batch hold, per byte of its MessagePack, as the decoder
    /// estimates them: module names and paths measured 3.7, estimated 5.1.</summary>
    public const int DecodedBytesPerByte = 6;

    /// <summary>Distinct <c>library</c> label values in /metrics before new ones fold into <c>other</c>. Default 1000.</summary>
    public int MaxLibraryLabels { get; init; } = 1000;

    /// <summary>Libraries that get a label whatever their use.</summary>
    public IReadOnlyList<string> LibraryAllowlist { get; init; } = [];

    /// <summary>Distinct users (30 days) a library needs for a label of its own. Default 2.</summary>
    public int LibraryLabelMinUsers { get; init; } = 2;

    /// <summary>Nodes whose last batch time is exposed. Default 20000.</summary>
    public int MaxNodeLabels { get; init; } = 20_000;

    /// <summary>Seconds of quiet after which a home-loading job's series goes. Default 900.</summary>
    public int HomeJobQuietSeconds { get; init; } = 900;

    /// <summary>Days summaries are kept. Default 90.</summary>
    public int RetentionDays { get; init; } = 90;

    /// <summary>Days roll-ups are kept. Default 3650.</summary>
    public int RollupRetentionDays { get; init; } = 3650;

    /// <summary>Seconds between checkpoints. Default 60.</summary>
    public int CheckpointSeconds { get; init; } = 60;

    /// <summary>Log bytes past which a checkpoint runs at once. Default 256 MiB.</summary>
    public long MaxLogBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Milliseconds between folds. Default 1000.</summary>
    public int FoldMilliseconds { get; init; } = 1000;

    /// <summary>CSV of project,domain; empty: none.</summary>
    public string DomainFile { get; init; } = "";

    /// <summary>File of the bearer tokens agents must show to post batches, one per line; empty: no token needed
    /// (loopback only, until an admin opens the collector).</summary>
    public string TokenFile { get; init; } = "";

    /// <summary>File of the bearer tokens that may read aggregates (<c>/metrics</c>, <c>/v1/libraries</c>), one per line:
    /// Prometheus's. Empty, and no admin token: those answer loopback only.</summary>
    public string ReadTokenFile { get; init; } = "";

    /// <summary>File of the bearer tokens that may read what names users and jobs (<c>/v1/summaries</c>) and the
    /// aggregates. Empty: user-level data answers loopback only.</summary>
    public string AdminTokenFile { get; init; } = "";

    /// <summary>Reads and validates the options; throws <see cref="ArgumentException"/> naming a bad setting.</summary>
    public static CollectorOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Collector");
        var defaults = new CollectorOptions();
        var options = new CollectorOptions
        {
            Urls = section["Urls"] ?? defaults.Urls,
            Data = section["Data"] ?? defaults.Data,
            MaxBatchBytes = Number(section, "MaxBatchBytes", defaults.MaxBatchBytes, 1024, 1024 * 1024 * 1024),
            MaxDecompressedBytes = Number(section, "MaxDecompressedBytes", defaults.MaxDecompressedBytes, 1024, 1024 * 1024 * 1024),
            MaxLibraryLabels = Number(section, "MaxLibraryLabels", defaults.MaxLibraryLabels, 1, 1_000_000),
            TokenFile = section["TokenFile"] ?? defaults.TokenFile,
            ReadTokenFile = section["ReadTokenFile"] ?? defaults.ReadTokenFile,
            AdminTokenFile = section["AdminTokenFile"] ?? defaults.AdminTokenFile,
        };
        options = options with { MaxBytesInFlight = LongNumber(section, "MaxBytesInFlight", defaults.MaxBytesInFlight, options.LargestRequestBytes, 64L * 1024 * 1024 * 1024) };
        foreach (var (setting, file) in new[] { ("TokenFile", options.TokenFile), ("ReadTokenFile", options.ReadTokenFile), ("AdminTokenFile", options.AdminTokenFile) })
        {
            if (file.Length > 0 && !File.Exists(file))
            {
                throw new ArgumentException($"setting 'Collector:{setting}': {file} does not exist");
            }
        }
        if (string.IsNullOrWhiteSpace(options.Data))
        {
            throw new ArgumentException("setting 'Collector:Data' must name a folder");
        }
        foreach (var url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"setting 'Collector:Urls': '{url}' is not an http or https URL");
            }
        }
        return options;
    }

    /// <summary>What one largest real request may take of <see cref="MaxBytesInFlight"/>: its body, the buffers its
    /// decompression grows through (doubling, so up to twice the decompressed limit) and its decoded objects.</summary>
    public long LargestRequestBytes => MaxBatchBytes + 1L + ((2L + DecodedBytesPerByte) * (MaxDecompressedBytes + 1L));

    private static long LongNumber(IConfigurationSection section, string key, long fallback, long min, long max)
    {
        var text = section[key];
        if (text == null)
        {
            return Math.Max(fallback, min);
        }
        return long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"setting 'Collector:{key}' must be a whole number from {min} to {max}, not '{text}'");
    }

    private static int Number(IConfigurationSection section, string key, int fallback, int min, int max)
    {
        var text = section[key];
        if (text == null)
        {
            return fallback;
        }
        return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"setting 'Collector:{key}' must be a whole number from {min} to {max}, not '{text}'");
    }
}
