using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>Decides the <see cref="Origin"/> of a file: the longest prefix among the configured roots, the environment
/// prefixes found on disk and the process's own places wins; on equal length the more specific class does.</summary>
/// <remarks>
/// What depends only on the folder (configured roots, the environment the folder lies in) is cached per folder, so
/// once warm a path costs one span look-up plus a handful of prefix comparisons against the process's places, and
/// no file system call. A path is whatever a record names, so the looking is bounded per record
/// (<see cref="ProbeBudget"/>: past it the rules alone decide, nothing is cached, and the record is counted in
/// <see cref="Limited"/>), and done as the record's user could: a folder is looked at only when the user may enter
/// it, and an environment found before is shown to a user only when they may enter its prefix (then they could
/// look for themselves: its folders above are theirs to enter too). Thread-safe, given one
/// <see cref="ProcessPlaces"/> and <see cref="ProbeBudget"/> per record and thread.
/// </remarks>
public sealed class OriginClassifier
{
    private readonly OriginRule[] _rules;
    private readonly HashSet<string> _baseEnvironments;
    private readonly EnvironmentRootFinder _roots;
    private readonly BoundedCache<FolderOrigin> _folders;
    private long _limited;

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
        _folders = new BoundedCache<FolderOrigin>(capacity);
    }

    /// <summary>Records whose probe budget ran out: some of their files got the configured rules' origin only.</summary>
    public long Limited => Interlocked.Read(ref _limited);

    /// <summary>The origin of <paramref name="path"/> for the process whose places are <paramref name="places"/>,
    /// looking on disk within <paramref name="probes"/>, the record's.</summary>
    /// <returns><see cref="Origin.Unknown"/> for an empty path; <see cref="Origin.Cwd"/> for a relative one (Python
    /// resolved it against the working directory); <see cref="Origin.Other"/> when no rule covers it.</returns>
    public Origin Classify(string path, ProcessPlaces places, ProbeBudget probes)
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
        var match = places.Improve(path, FolderMatch(folder, probes));
        origin = match.Length < 0 ? Origin.Other : match.Origin;
        places.Remember(path, folder.Length, origin);
        return origin;
    }

    private PrefixMatch FolderMatch(ReadOnlySpan<char> folder, ProbeBudget probes)
    {
        if (_folders.TryGet(folder, out var known))
        {
            if (known.Root == null || probes.IsEveryone)
            {
                return known.Match;
            }
            return probes.MayEnter(known.Root) switch
            {
                true => known.Match,
                false => ForUser(folder.ToString(), known.Rules, probes),
                null => Limit(known.Rules, probes),
            };
        }
        var rules = PrefixMatch.None;
        foreach (var rule in _rules)
        {
            if (PathPrefix.Covers(rule.Prefix, folder))
            {
                rules = rules.Or(rule.Origin, rule.Prefix.Length);
            }
        }
        if (folder.Contains('\0'))
        {
            // No file system has such a folder; the C string would end early, at a folder the record did not name.
            return rules;
        }
        if (probes.Exhausted)
        {
            return Limit(rules, probes);
        }
        var path = folder.ToString();
        switch (probes.MayEnter(path))
        {
            case null:
                return Limit(rules, probes);
            case false:
                return ForUser(path, rules, probes);
        }
        // The user may enter the folder, so every folder above it too: what root finds is what they could.
        if (!_roots.TryFind(path, probes, out var root))
        {
            return Limit(rules, probes);
        }
        var match = WithRoot(rules, root);
        _folders.Set(path, new FolderOrigin(rules, match, root.Marker == PrefixMarker.None ? null : root.Prefix));
        return match;
    }

    /// <summary>For a folder its user may not enter: the environment that holds the innermost folder above it that
    /// they may, which is theirs alone to know, so not cached.</summary>
    private PrefixMatch ForUser(string folder, PrefixMatch rules, ProbeBudget probes)
    {
        for (var above = PathPrefix.Parent(folder); above.Length > 0; above = PathPrefix.Parent(above))
        {
            var path = above.ToString();
            switch (probes.MayEnter(path))
            {
                case null:
                    return Limit(rules, probes);
                case true:
                    return _roots.TryFind(path, probes, out var root) ? WithRoot(rules, root) : Limit(rules, probes);
            }
        }
        return rules;
    }

    private PrefixMatch WithRoot(PrefixMatch rules, EnvironmentRoot root)
    {
        if (root.Marker == PrefixMarker.None)
        {
            return rules;
        }
        var origin = _baseEnvironments.Contains(root.Prefix) ? Origin.BaseEnv
            : root.Marker == PrefixMarker.CondaMeta ? Origin.CustomEnv
            : Origin.Venv;
        return rules.Or(origin, root.Prefix.Length);
    }

    /// <summary>The rules alone, for a record past its budget, which is counted once.</summary>
    private PrefixMatch Limit(PrefixMatch rules, ProbeBudget probes)
    {
        if (!probes.Counted)
        {
            probes.Counted = true;
            Interlocked.Increment(ref _limited);
        }
        return rules;
    }

    private static void AddAll(List<OriginRule> rules, IReadOnlyList<string> prefixes, Origin origin)
    {
        foreach (var prefix in prefixes)
        {
            rules.Add(new OriginRule(PathPrefix.Normalize(prefix), origin));
        }
    }
}
