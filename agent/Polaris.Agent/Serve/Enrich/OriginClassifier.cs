using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>Decides the <see cref="Origin"/> of a file: the shared rules (<see cref="OriginRules"/>: the configured
/// roots and the shapes a path shows, as the collector has them), the environment prefixes found on disk and the
/// process's own places; the longest prefix wins, and on equal length the more specific class does.</summary>
/// <remarks>
/// The disk knows better than a path's shape: an environment found at the prefix a shape guessed replaces the guess,
/// and a guessed prefix the walk passed without finding <c>conda-meta/</c> or <c>pyvenv.cfg</c> is no environment.
/// Where the disk has nothing to say (no environment around the path, or a record past its budget), the origin is
/// the shared rules' own, before the process's places: the collector, which has those rules alone, agrees.
/// What depends only on the folder (the rules, the environment the folder lies in) is cached per folder, so
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
    private readonly OriginRules _rules;
    private readonly EnvironmentRootFinder _roots;
    private readonly BoundedCache<FolderOrigin> _folders;
    private long _limited;

    /// <param name="options">The configured roots.</param>
    /// <param name="roots">Finds environment prefixes on disk; shared so its cache serves the environment analysis too.</param>
    /// <param name="capacity">Folders remembered; past it the cache starts over.</param>
    public OriginClassifier(EnrichOptions options, EnvironmentRootFinder roots, int capacity = 16_384)
    {
        ArgumentNullException.ThrowIfNull(options);
        _rules = new OriginRules(options.OriginRoots);
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
        if (OriginRules.TryClassifyUnrooted(path, out var unrooted))
        {
            return unrooted;
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
        var rules = _rules.Match(folder);
        if (folder.Contains('\0'))
        {
            // No file system has such a folder; the C string would end early, at a folder the record did not name.
            return rules.Best;
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
        var match = WithRoot(rules, root, path.Length);
        _folders.Set(path, new FolderOrigin(rules, match, Guard(path, rules, root)));
        return match;
    }

    /// <summary>For a folder its user may not enter: the environment that holds the innermost folder above it that
    /// they may, which is theirs alone to know, so not cached.</summary>
    private PrefixMatch ForUser(string folder, RuleMatch rules, ProbeBudget probes)
    {
        for (var above = PathPrefix.Parent(folder); above.Length > 0; above = PathPrefix.Parent(above))
        {
            var path = above.ToString();
            switch (probes.MayEnter(path))
            {
                case null:
                    return Limit(rules, probes);
                case true:
                    return _roots.TryFind(path, probes, out var root) ? WithRoot(rules, root, path.Length) : Limit(rules, probes);
            }
        }
        return rules.Best;
    }

    /// <summary>The rules and <paramref name="root"/>, the environment found by walking up from a folder
    /// <paramref name="walkedFrom"/> long (the folder itself or one above it).</summary>
    private PrefixMatch WithRoot(RuleMatch rules, EnvironmentRoot root, int walkedFrom)
    {
        // A guessed prefix lies above the folder, so a walk that started at or below it passed it, and what it found
        // there or above is the answer: an environment at the guessed prefix replaces the guess, none there means
        // none. A walk that started above the guess says nothing of it.
        var passedGuess = walkedFrom >= rules.Guessed.Length && root.Prefix.Length <= rules.Guessed.Length;
        var match = passedGuess ? rules.Settled : rules.Best;
        if (root.Marker == PrefixMarker.None)
        {
            return match;
        }
        var origin = _rules.IsBaseEnvironment(root.Prefix) ? Origin.BaseEnv
            : root.Marker == PrefixMarker.CondaMeta ? Origin.CustomEnv
            : Origin.Venv;
        return match.Or(origin, root.Prefix.Length);
    }

    /// <summary>What a user must be able to enter to be shown what was found for a folder: the environment's
    /// prefix, or a guessed prefix where no environment was found (that none is there is for those who could look);
    /// null when the rules alone decided.</summary>
    private static string? Guard(string folder, RuleMatch rules, EnvironmentRoot root) =>
        rules.Guessed.Length > root.Prefix.Length ? folder[..rules.Guessed.Length]
        : root.Marker == PrefixMarker.None ? null
        : root.Prefix;

    /// <summary>The rules alone, for a record past its budget, which is counted once.</summary>
    private PrefixMatch Limit(RuleMatch rules, ProbeBudget probes)
    {
        if (!probes.Counted)
        {
            probes.Counted = true;
            Interlocked.Increment(ref _limited);
        }
        return rules.Best;
    }
}
