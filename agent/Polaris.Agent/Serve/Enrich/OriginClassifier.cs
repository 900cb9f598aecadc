using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>Decides the <see cref="Origin"/> of a file: the longest prefix among the configured roots, the environment
/// prefixes found on disk and the process's own places wins; on equal length the more specific class does.</summary>
/// <remarks>
/// What depends only on the folder (configured roots, the environment the folder lies in) is cached per folder, so
/// once warm a path costs one span look-up plus a handful of prefix comparisons against the process's places, and
/// no file system call. Thread-safe, given one <see cref="ProcessPlaces"/> per record and thread.
/// </remarks>
public sealed class OriginClassifier
{
    private readonly OriginRule[] _rules;
    private readonly HashSet<string> _baseEnvironments;
    private readonly EnvironmentRootFinder _roots;
    private readonly BoundedCache<PrefixMatch> _folders;

    /// <param name="options">The configured roots.</param>
    /// <param name="roots">Finds environment prefixes on disk; shared so its cache serves the environment analysis too.</param>
    /// <param name="capacity">Folders remembered; past it the cache starts over.</param>
    public OriginClassifier(EnrichOptions options, EnvironmentRootFinder roots, int capacity = 16_384)
    {
        var rules = new List<OriginRule>();
        AddAll(rules, options.HomeRoots, Origin.Home);
        AddAll(rules, options.ProjectRoots, Origin.Project);
        AddAll(rules, options.BaseEnvironments, Origin.BaseEnv);
        AddAll(rules, options.SystemPrefixes, Origin.System);
        _rules = [.. rules];
        _baseEnvironments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var prefix in options.BaseEnvironments)
        {
            _baseEnvironments.Add(PathPrefix.Normalize(prefix));
        }
        _roots = roots;
        _folders = new BoundedCache<PrefixMatch>(capacity);
    }

    /// <summary>The origin of <paramref name="path"/> for the process whose places are <paramref name="places"/>.</summary>
    /// <returns><see cref="Origin.Unknown"/> for an empty path; <see cref="Origin.Cwd"/> for a relative one (Python
    /// resolved it against the working directory); <see cref="Origin.Other"/> when no rule covers it.</returns>
    public Origin Classify(string path, ProcessPlaces places)
    {
        if (path.Length == 0)
        {
            return Origin.Unknown;
        }
        if (path[0] != '/')
        {
            return Origin.Cwd;
        }
        // Every rule is a folder, so a file's origin is its folder's: what the last file of the record had.
        var folder = PathPrefix.Parent(path);
        if (places.TryRecall(folder, out var origin))
        {
            return origin;
        }
        var match = places.Improve(path, FolderMatch(folder));
        origin = match.Length < 0 ? Origin.Other : match.Origin;
        places.Remember(path, folder.Length, origin);
        return origin;
    }

    private PrefixMatch FolderMatch(ReadOnlySpan<char> folder)
    {
        if (_folders.TryGet(folder, out var match))
        {
            return match;
        }
        match = PrefixMatch.None;
        foreach (var rule in _rules)
        {
            if (PathPrefix.Covers(rule.Prefix, folder))
            {
                match = match.Or(rule.Origin, rule.Prefix.Length);
            }
        }
        var root = _roots.Find(folder);
        if (root.Marker != PrefixMarker.None)
        {
            var origin = _baseEnvironments.Contains(root.Prefix) ? Origin.BaseEnv
                : root.Marker == PrefixMarker.CondaMeta ? Origin.CustomEnv
                : Origin.Venv;
            match = match.Or(origin, root.Prefix.Length);
        }
        _folders.Set(folder.ToString(), match);
        return match;
    }

    private static void AddAll(List<OriginRule> rules, IReadOnlyList<string> prefixes, Origin origin)
    {
        foreach (var prefix in prefixes)
        {
            rules.Add(new OriginRule(PathPrefix.Normalize(prefix), origin));
        }
    }
}
