using System.Text.Json;
using Polaris.Collector.Cli;
using Polaris.Wire;

namespace Polaris.Collector.Settings;

/// <summary>Every setting of the collector's config file by name, and how it is read from the file or from an
/// environment variable; one table, so the file, the variables, <c>serve --help</c> and the operator's guide (docs/operations.md) cannot disagree.</summary>
/// <remarks>Follows the agent's <c>AgentSettings</c>: the same file layout (one flat JSON object, camelCase keys), the
/// same variable names (the key in capitals with underscores) and the same refusal of unknown keys and variables.</remarks>
public static class CollectorSettings
{
    /// <summary>Prefix of the environment variables that set the collector's settings.</summary>
    public const string VariablePrefix = "POLARIS_COLLECTOR_";

    /// <summary>Variable naming the config file (like <c>--config</c>).</summary>
    public const string ConfigVariable = VariablePrefix + "CONFIG";

    /// <summary>Every setting, in the order help and the operator's guide list them.</summary>
    public static IReadOnlyList<CollectorSetting> All { get; } =
    [
        new("urls", "http://127.0.0.1:8470", "where to listen: http or https URLs (https needs tlsCertificate)",
            (o, v) => o with { Urls = string.Join(';', v.ListenUrls()) }),
        new("data", "$STATE_DIRECTORY, else ./polaris-data", "folder of the store (polaris.db)", (o, v) => o with { Data = v.Text() }),
        new("tokenFile", "$CREDENTIALS_DIRECTORY/agent-tokens, else none", "bearer tokens agents post with, one a line; none: only loopback may post",
            (o, v) => o with { TokenFile = v.Text() }),
        new("readTokenFile", "$CREDENTIALS_DIRECTORY/read-tokens, else none", "tokens that read /metrics and /v1/libraries (Prometheus's); none: loopback only",
            (o, v) => o with { ReadTokenFile = v.Text() }),
        new("adminTokenFile", "$CREDENTIALS_DIRECTORY/admin-tokens, else none", "tokens that also read /v1/summaries and /v1/rollups (users, jobs) and post imports; none: loopback only, no imports over HTTP",
            (o, v) => o with { AdminTokenFile = v.Text() }),
        new("tlsCertificate", "none", "PEM certificate (and chain) for https URLs", (o, v) => o with { TlsCertificate = v.Text() }),
        new("tlsKey", "$CREDENTIALS_DIRECTORY/tls-key, else none: the key is in tlsCertificate", "PEM private key of tlsCertificate", (o, v) => o with { TlsKey = v.Text() }),
        new("maxBatchBytes", "33554432 (32 MiB)", "largest compressed batch accepted", (o, v) => o with { MaxBatchBytes = v.Number() }),
        new("maxDecompressedBytes", "33554432 (32 MiB)", "largest batch after decompression",
            (o, v) => o with { MaxDecompressedBytes = v.Number() }),
        new("maxBytesInFlight", "536870912 (512 MiB), or what one largest batch needs",
            "bytes all batches being taken in may hold at once (past it: 503); at least one largest batch's",
            (o, v) => o with { MaxBytesInFlight = v.Bytes() }),
        new("retentionDays", "90", "days summaries and batch keys are kept", (o, v) => o with { RetentionDays = v.Number() }),
        new("rollupRetentionDays", "3650", "days daily roll-ups are kept (at least retentionDays)",
            (o, v) => o with { RollupRetentionDays = v.Number() }),
        new("checkpointSeconds", "60", "seconds between checkpoints of the store's log", (o, v) => o with { CheckpointSeconds = v.Number() }),
        new("maxLogBytes", "268435456 (256 MiB)", "size of the store's log that forces a checkpoint at once",
            (o, v) => o with { MaxLogBytes = v.Bytes() }),
        new("domainFile", "none", "CSV of project,domain: the science domain of a job's account",
            (o, v) => o with { DomainFile = v.Text() }),
        new("baseEnvironmentPackages", "none: versions seen loaded from the base", "the base environment's package list (conda list, conda env export, pip freeze), for report provisioning",
            (o, v) => o with { BaseEnvironmentPackages = v.Text() }),
        new("libraryAllowlist", "none", "libraries that always get their own library label (a variable: comma-separated)",
            (o, v) => o with { LibraryAllowlist = v.List(',') }),
        new("maxLibraryLabels", "1000", "library label values in /metrics; the rest fold into other",
            (o, v) => o with { MaxLibraryLabels = v.Number() }),
        new("libraryLabelMinUsers", "2", "distinct users a library needs before it gets a label",
            (o, v) => o with { LibraryLabelMinUsers = v.Number() }),
        new("reportMinimumUsers", "3", "distinct users a report's row needs to be shown to a read token (the admin token sees all)",
            (o, v) => o with { ReportMinimumUsers = v.Number() }),
        new("maxNodeLabels", "20000", "node label values in /metrics", (o, v) => o with { MaxNodeLabels = v.Number() }),
        new("maxUserNames", "100000", "user names the store numbers across sources; past it, names are not learnt",
            (o, v) => o with { MaxUserNames = v.Number() }),
        new("homeJobQuietSeconds", "900", "seconds of quiet after which a home-loading job's series goes",
            (o, v) => o with { HomeJobQuietSeconds = v.Number() }),
        new("foldMilliseconds", "1000", "milliseconds between folds of stored summaries into roll-ups",
            (o, v) => o with { FoldMilliseconds = v.Number() }),
        new("pbsTimeZone", "the machine's local zone", "IANA time zone of the PBS server, in which its accounting logs' dates are written",
            (o, v) => o with { PbsTimeZone = v.Text() }),
        // The agent's keys and defaults (OriginRoots), so that imported paths are classified as the agents classify.
        new("baseEnvironments", "none", "prefixes of the facility's base conda environments (a variable: colon-separated)",
            (o, v) => o with { BaseEnvironments = v.List(':') }),
        new("homeRoots", string.Join(", ", OriginRoots.DefaultHomeRoots), "roots of home directories (a variable: colon-separated)",
            (o, v) => o with { HomeRoots = v.List(':') }),
        new("projectRoots", string.Join(", ", OriginRoots.DefaultProjectRoots), "shared project file systems (a variable: colon-separated)",
            (o, v) => o with { ProjectRoots = v.List(':') }),
        new("systemPrefixes", string.Join(", ", OriginRoots.DefaultSystemPrefixes), "the operating system's folders (a variable: colon-separated)",
            (o, v) => o with { SystemPrefixes = v.List(':') }),
    ];

    private static readonly Dictionary<string, CollectorSetting> ByName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>The environment variable of a setting: <c>maxBatchBytes</c> is <c>POLARIS_COLLECTOR_MAX_BATCH_BYTES</c>.</summary>
    public static string VariableOf(string setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return VariablePrefix + string.Concat(setting.Select(c => char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));
    }

    /// <summary>Applies one setting's value; a name that is no setting throws <see cref="UsageException"/>.</summary>
    public static CollectorOptions Apply(CollectorOptions options, string setting, SettingValue value) =>
        ByName.TryGetValue(setting, out var found)
            ? found.Apply(options, value)
            : throw new UsageException($"{value.Where} is not a known setting; did you mean '{All.MinBy(s => EditDistance(s.Name, setting))!.Name}'?");

    /// <summary>Applies a config file: one JSON object of settings.</summary>
    /// <exception cref="UsageException">The file cannot be read, is not one JSON object, or holds a key that is no
    /// setting or a value of the wrong type.</exception>
    public static CollectorOptions ApplyFile(CollectorOptions options, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            // The reader's message ends in "LineNumber: 2 | BytePositionInLine: 7." with a line counted from 0.
            var message = e.Message.Split(" LineNumber:", 2)[0];
            throw new UsageException(e.LineNumber is { } line ? $"config file {path}, line {line + 1}: {message}" : $"config file {path}: {message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
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

    /// <summary>Refuses a <c>POLARIS_COLLECTOR_*</c> variable that is neither a setting's nor
    /// <see cref="ConfigVariable"/>, naming the nearest setting: a misspelt variable would otherwise be ignored
    /// silently, where a misspelt key in the config file is refused.</summary>
    /// <exception cref="UsageException">Such a variable is set.</exception>
    public static void RefuseUnknownVariables(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var known = All.ToDictionary(s => VariableOf(s.Name), s => s.Name, StringComparer.Ordinal);
        foreach (var variable in environment.Keys.Where(v => v.StartsWith(VariablePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (!known.ContainsKey(variable) && variable != ConfigVariable)
            {
                var nearest = known.Keys.MinBy(k => EditDistance(k, variable))!;
                throw new UsageException($"environment variable {variable} is not a setting; did you mean {nearest} (setting '{known[nearest]}')?");
            }
        }
    }

    /// <summary>Applies the <c>POLARIS_COLLECTOR_*</c> variables that name a setting.</summary>
    public static CollectorOptions ApplyEnvironment(CollectorOptions options, IReadOnlyDictionary<string, string> environment)
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
}
