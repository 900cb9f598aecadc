namespace Polaris.Wire;

/// <summary>Classifies a path's <see cref="Origin"/> by rules alone, with no disk: the configured roots (the longest
/// prefix wins, whole components only; on equal length the more specific class, <see cref="PrefixMatch"/>), then the
/// shapes the path shows (<see cref="PathShape"/>). The agent's classifier starts from these and looks on disk for
/// the rest; the collector, which cannot see the nodes' disks, has these alone. One implementation for both, so they
/// cannot disagree on a path that needs no disk.</summary>
/// <remarks>Immutable and thread-safe; no reflection, so native AOT keeps it whole.</remarks>
public sealed class OriginRules
{
    private readonly OriginRule[] _rules;
    private readonly string[] _homeRoots;
    private readonly HashSet<string> _baseEnvironments;

    /// <param name="roots">The configured roots, absolute paths (a trailing slash is dropped).</param>
    /// <exception cref="ArgumentException">A root is not an absolute path.</exception>
    public OriginRules(OriginRoots roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var relative = roots.HomeRoots.Concat(roots.ProjectRoots).Concat(roots.BaseEnvironments).Concat(roots.SystemPrefixes)
            .FirstOrDefault(root => !root.StartsWith('/'));
        if (relative != null)
        {
            throw new ArgumentException($"a root must be an absolute path, not '{relative}'", nameof(roots));
        }
        var rules = new List<OriginRule>();
        AddAll(rules, roots.HomeRoots, Origin.Home);
        AddAll(rules, roots.ProjectRoots, Origin.Project);
        AddAll(rules, roots.BaseEnvironments, Origin.BaseEnv);
        AddAll(rules, roots.SystemPrefixes, Origin.System);
        _rules = [.. rules];
        _homeRoots = [.. roots.HomeRoots.Select(PathPrefix.Normalize)];
        _baseEnvironments = new HashSet<string>(roots.BaseEnvironments.Select(PathPrefix.Normalize), StringComparer.Ordinal);
    }

    /// <summary>The rules of the default roots (<see cref="OriginRoots"/>).</summary>
    public static OriginRules Default { get; } = new(new OriginRoots());

    /// <summary>The origin of <paramref name="path"/>, a module's or shared object's file as Python reported it.</summary>
    /// <returns><see cref="Origin.Unknown"/> for an empty path; <see cref="Origin.Cwd"/> for a relative one (Python
    /// resolved it against the working directory); <see cref="Origin.Other"/> when no rule covers it.</returns>
    public Origin Classify(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        // Every rule is a folder, so a file's origin is its folder's.
        return TryClassifyUnrooted(path, out var origin) ? origin : Match(PathPrefix.Parent(path)).Origin;
    }

    /// <summary>The origin of a path no root can cover: <see cref="Origin.Unknown"/> when it is empty,
    /// <see cref="Origin.Cwd"/> when it is relative. False for an absolute path.</summary>
    public static bool TryClassifyUnrooted(ReadOnlySpan<char> path, out Origin origin)
    {
        origin = path.Length == 0 ? Origin.Unknown : Origin.Cwd;
        return path.Length == 0 || path[0] != '/';
    }

    /// <summary>What the rules say of <paramref name="folder"/>, a normalised absolute folder (empty for <c>/</c>).</summary>
    public RuleMatch Match(ReadOnlySpan<char> folder)
    {
        var settled = PrefixMatch.None;
        foreach (var rule in _rules)
        {
            if (PathPrefix.Covers(rule.Prefix, folder))
            {
                settled = settled.Or(rule.Origin, rule.Prefix.Length);
            }
        }
        foreach (var root in _homeRoots)
        {
            int site = PathShape.UserSite(folder, root);
            if (site >= 0)
            {
                settled = settled.Or(Origin.UserSite, site);
            }
        }
        return new RuleMatch(settled, Guess(folder, settled));
    }

    /// <summary>Whether <paramref name="prefix"/> (normalised) is a configured base environment.</summary>
    public bool IsBaseEnvironment(string prefix) => _baseEnvironments.Contains(prefix);

    // A guess must be longer than what is settled: a configured root names its folder for sure (a base environment
    // at .../envs/NAME is base), and a guess inside the user site would be a package's folder, not an environment.
    private static PrefixMatch Guess(ReadOnlySpan<char> folder, PrefixMatch settled)
    {
        int conda = PathShape.CondaEnvironment(folder);
        if (conda >= 0)
        {
            return conda > settled.Length ? new PrefixMatch(Origin.CustomEnv, conda) : PrefixMatch.None;
        }
        // Only under a project root: that is where Polaris's users keep their venvs; elsewhere the same layout is
        // as often the system's or a conda installation's own prefix.
        if (settled.Origin != Origin.Project)
        {
            return PrefixMatch.None;
        }
        int venv = PathShape.SitePackagesPrefix(folder);
        return venv > settled.Length ? new PrefixMatch(Origin.Venv, venv) : PrefixMatch.None;
    }

    private static void AddAll(List<OriginRule> rules, IReadOnlyList<string> prefixes, Origin origin)
    {
        foreach (var prefix in prefixes)
        {
            rules.Add(new OriginRule(PathPrefix.Normalize(prefix), origin));
        }
    }
}
