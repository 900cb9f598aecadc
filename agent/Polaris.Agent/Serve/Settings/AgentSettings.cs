using System.Text.Json;
using Polaris.Agent.Cli;

namespace Polaris.Agent.Serve.Settings;

/// <summary>Every setting of the agent's config file by name, and how it is read from the file or from an
/// environment variable; one table, so the two can never disagree.</summary>
public static class AgentSettings
{
    /// <summary>Prefix of the environment variables that set the agent's settings.</summary>
    public const string VariablePrefix = "POLARIS_AGENT_";

    /// <summary>Variable naming the config file (like <c>--config</c>).</summary>
    public const string ConfigVariable = VariablePrefix + "CONFIG";

    private static readonly Dictionary<string, Func<AgentOptions, SettingValue, AgentOptions>> Table = new(StringComparer.Ordinal)
    {
        ["drop"] = (o, v) => o with { Drop = v.Text() },
        ["spool"] = (o, v) => o with { Spool = v.Text() },
        ["collector"] = (o, v) => o with { Collectors = v.Urls() },
        ["caFile"] = (o, v) => o with { CaFile = v.Text() },
        ["tokenFile"] = (o, v) => o with { TokenFile = v.Text() },
        ["summaryQuietMs"] = (o, v) => o with { SummaryQuiet = TimeSpan.FromMilliseconds(v.Number()) },
        ["summaryWindowMs"] = (o, v) => o with { SummaryWindow = TimeSpan.FromMilliseconds(v.Number()) },
        ["liveAfterMs"] = (o, v) => o with { LiveAfter = TimeSpan.FromMilliseconds(v.Number()) },
        ["summaryMaxProcesses"] = (o, v) => o with { SummaryMaxProcesses = v.Number() },
        ["summaryMaxOpen"] = (o, v) => o with { SummaryMaxOpen = v.Number() },
        ["maxBatchSummaries"] = (o, v) => o with { MaxBatchSummaries = v.Number() },
        ["maxRecordBytes"] = (o, v) => o with { MaxRecordBytes = v.Number() },
        ["queueCapacity"] = (o, v) => o with { QueueCapacity = v.Number() },
        ["userRecordsPerSecond"] = (o, v) => o with { UserRecordsPerSecond = v.Number() },
        ["userRecordBurst"] = (o, v) => o with { UserRecordBurst = v.Number() },
        ["spoolMaxBytes"] = (o, v) => o with { SpoolMaxBytes = v.Bytes() },
        ["spoolMaxAgeHours"] = (o, v) => o with { SpoolMaxAge = TimeSpan.FromHours(v.Number()) },
        ["spoolMinFreeBytes"] = (o, v) => o with { SpoolMinFreeBytes = v.Bytes() },
        ["statusSocket"] = (o, v) => o with { StatusSocket = v.Text() },
        ["textfileDirectory"] = (o, v) => o with { TextfileDirectory = v.Text() },
        ["baseEnvironments"] = (o, v) => o with { BaseEnvironments = v.AbsolutePaths() },
        ["homeRoots"] = (o, v) => o with { HomeRoots = v.AbsolutePaths() },
        ["projectRoots"] = (o, v) => o with { ProjectRoots = v.AbsolutePaths() },
        ["systemPrefixes"] = (o, v) => o with { SystemPrefixes = v.AbsolutePaths() },
    };

    /// <summary>The setting names, as the config file spells them.</summary>
    public static IEnumerable<string> Names => Table.Keys;

    /// <summary>The environment variable of a setting: <c>spoolMaxBytes</c> is <c>POLARIS_AGENT_SPOOL_MAX_BYTES</c>.</summary>
    public static string VariableOf(string setting) =>
        VariablePrefix + string.Concat(setting.Select(c => char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));

    public static AgentOptions Apply(AgentOptions options, string setting, SettingValue value) =>
        Table.TryGetValue(setting, out var apply) ? apply(options, value) : throw new UsageException($"{value.Where} is not a known setting");

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
        var known = Table.Keys.ToDictionary(VariableOf, s => s, StringComparer.Ordinal);
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
        foreach (var setting in Table.Keys)
        {
            var variable = VariableOf(setting);
            if (environment.TryGetValue(variable, out var text))
            {
                options = Apply(options, setting, SettingValue.FromText($"environment variable {variable}", text));
            }
        }
        return options;
    }
}
