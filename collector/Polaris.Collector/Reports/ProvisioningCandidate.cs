namespace Polaris.Collector.Reports;

/// <summary>A package users load from outside the base environment: its users, domains, processes and versions.</summary>
public sealed class ProvisioningCandidate(string name)
{
    private readonly Dictionary<string, HashSet<long>> _versions = new(StringComparer.Ordinal);

    /// <summary>Its top-level import name.</summary>
    public string Name { get; } = name;

    public HashSet<long> Users { get; } = [];

    public HashSet<string> Domains { get; } = new(StringComparer.Ordinal);

    public long Processes { get; private set; }

    /// <summary>The version seen most loaded from the base environment; null when none was.</summary>
    public string? BaseVersion { get; set; }

    /// <summary>Takes its use in <paramref name="domain"/> (users as the report counts them).</summary>
    public void Add(string domain, Use use)
    {
        ArgumentNullException.ThrowIfNull(use);
        Users.UnionWith(use.Users);
        Domains.Add(domain);
        Processes += use.Processes;
        foreach (var (version, versionUse) in use.Versions ?? [])
        {
            if (!_versions.TryGetValue(version, out var users))
            {
                _versions[version] = users = [];
            }
            users.UnionWith(versionUse.Users);
        }
    }

    /// <summary>The versions with the most users first; none known (<c>""</c>: XALT keeps none, a module without
    /// <c>__version__</c>) only when no process saw one.</summary>
    /// <param name="count">Versions given at most.</param>
    /// <param name="minimumUsers">Users a version needs to be given (a read token's floor, <see cref="ReportQuery.MinimumUsers"/>).</param>
    public IEnumerable<(string Version, int Users)> TopVersions(int count, int minimumUsers = 1)
    {
        var shown = _versions.Where(v => v.Value.Count >= minimumUsers).ToArray();
        var known = shown.Where(v => v.Key.Length > 0).ToArray();
        return (known.Length > 0 ? known : shown)
            .OrderByDescending(v => v.Value.Count).ThenBy(v => v.Key, StringComparer.Ordinal).Take(count).Select(v => (v.Key, v.Value.Count));
    }
}
