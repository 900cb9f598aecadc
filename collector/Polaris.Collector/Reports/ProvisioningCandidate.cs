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

    public void Add(long user, string domain, string version, long processes)
    {
        Users.Add(user);
        Domains.Add(domain);
        Processes += processes;
        if (!_versions.TryGetValue(version, out var users))
        {
            _versions[version] = users = [];
        }
        users.Add(user);
    }

    /// <summary>The versions with the most users first; none known (<c>""</c>: XALT keeps none, a module without
    /// <c>__version__</c>) only when no process saw one.</summary>
    public IEnumerable<(string Version, int Users)> TopVersions(int count)
    {
        var known = _versions.Where(v => v.Key.Length > 0).ToArray();
        return (known.Length > 0 ? known : _versions.ToArray())
            .OrderByDescending(v => v.Value.Count).ThenBy(v => v.Key, StringComparer.Ordinal).Take(count).Select(v => (v.Key, v.Value.Count));
    }
}
