using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>Works out an environment's kind, name and differences from the facility's base conda environment.</summary>
/// <remarks>
/// Reading <c>conda-meta/</c> costs milliseconds to seconds on a parallel file system, and thousands of ranks share
/// one environment; so analyses are cached per environment and only compared with the disk (a few <c>stat</c>
/// calls, see <see cref="EnvironmentStamp"/>) once per <c>revalidateAfter</c>. Thread-safe: two threads missing
/// the cache at once both analyse, and the second result replaces the first.
///
/// A record's environment is whatever its user names, so an analysis reads as that user could
/// (<see cref="UserAccess"/>: a folder they cannot read is an environment they cannot see), within a budget
/// (<see cref="EnvironmentReader"/>), and within the user's share of analysis time (<see cref="AnalysisAllowance"/>);
/// what it found is cached in the user's share of the cache (<see cref="UserShareCache{TValue}"/>). The base environments, which the facility configured, are read in full and
/// shared.
/// </remarks>
public sealed class EnvironmentAnalyzer
{
    private static readonly IReadOnlySet<string> NoDistInfos = new HashSet<string>();

    private readonly string[] _bases;
    private readonly HashSet<string> _baseSet;
    private readonly UserShareCache<CachedEnvironment> _analyses;
    private readonly UserShareCache<CachedConda> _condas;
    private readonly long _revalidateAfterMs;
    private readonly AnalysisAllowance _allowance = new();

    // How long a stale analysis stands in while one record's reading thread checks it again; past it (that record
    // was lost or its thread is slow), another record tries.
    private const long RefreshingMs = 10_000;
    private long _limited;

    /// <param name="options">The base environments.</param>
    /// <param name="revalidateAfter">How long an analysis is trusted before the disk is asked whether it changed. Default 2 s.</param>
    /// <param name="capacity">Entries kept of what the facility configured (base environments, root's); each user has a share of their own (<see cref="UserShareCache{TValue}"/>).</param>
    public EnvironmentAnalyzer(EnrichOptions options, TimeSpan? revalidateAfter = null, int capacity = 1024)
    {
        _bases = [.. options.BaseEnvironments.Select(PathPrefix.Normalize)];
        _baseSet = new HashSet<string>(_bases, StringComparer.Ordinal);
        _analyses = new UserShareCache<CachedEnvironment>(cached => RetainedBytes.Of(cached.Analysis.Changes), capacity);
        _condas = new UserShareCache<CachedConda>(cached => RetainedBytes.Of(cached.Environment), capacity);
        _revalidateAfterMs = (long)(revalidateAfter ?? TimeSpan.FromSeconds(2)).TotalMilliseconds;
    }

    /// <summary>Analyses cut short or skipped because a bound was reached (budget or the user's analysis time).</summary>
    public long Limited => Interlocked.Read(ref _limited);

    /// <summary><paramref name="raw"/> with its kind, name and changes; the user site is kept as the hook reported it.</summary>
    /// <param name="raw">The environment as the hook reported it.</param>
    /// <param name="pythonVersion">The interpreter's version, which names <c>lib/pythonX.Y</c>.</param>
    /// <param name="pythonPath">The process's <c>PYTHONPATH</c> entries, already cleaned.</param>
    /// <param name="uid">The record's user, as whom the environment is read (0: no check).</param>
    public PythonEnvironment Analyze(PythonEnvironment raw, string pythonVersion, IReadOnlyList<string> pythonPath, uint uid = 0)
    {
        TryAnalyze(raw, pythonVersion, pythonPath, uid, mayRead: true, out var analysed);
        return analysed;
    }

    /// <summary>Like <see cref="Analyze(PythonEnvironment, string, IReadOnlyList{string}, uint)"/>, but with <paramref name="mayRead"/> false it answers only from an analysis
    /// checked within <c>revalidateAfter</c>, and returns false when the disk would have to be asked (even a
    /// <c>stat</c> of a path a user names can hang, on a file system of theirs).</summary>
    public bool TryAnalyze(PythonEnvironment raw, string pythonVersion, IReadOnlyList<string> pythonPath, uint uid, bool mayRead, out PythonEnvironment analysed)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (TryFind(PathPrefix.Normalize(raw.Prefix), PathPrefix.Normalize(raw.BasePrefix), PythonVersion.MajorMinor(pythonVersion), uid, mayRead) is not { } analysis)
        {
            analysed = raw;
            return false;
        }
        analysed = raw with
        {
            Kind = analysis.Kind,
            Name = analysis.Name,
            Changes = analysis.Changes with { UserSite = raw.Changes.UserSite, PythonPath = pythonPath },
        };
        return true;
    }

    /// <summary>The records of the conda environment at <paramref name="prefix"/>; null when it has no readable <c>conda-meta/</c>.</summary>
    public CondaEnvironment? Conda(string prefix) => Conda(prefix, EnvironmentReader.Unbounded());

    /// <summary>The records of the conda environment at <paramref name="prefix"/> as <paramref name="reader"/> reads
    /// them (a base environment in full, as anyone); null when it has no <c>conda-meta/</c> the reader could read whole.</summary>
    private CondaEnvironment? Conda(string prefix, EnvironmentReader reader)
    {
        if (_baseSet.Contains(prefix) && !reader.Access.IsEveryone)
        {
            reader = EnvironmentReader.Unbounded();
        }
        uint? share = reader.Access.IsEveryone ? null : reader.Access.Uid;
        var key = prefix;
        var now = Environment.TickCount64;
        if (_condas.TryGet(share, key, out var cached) && now - cached.CheckedAtMs < _revalidateAfterMs)
        {
            return cached.Environment;
        }
        var stamp = EnvironmentStamp.Of(prefix + "/conda-meta");
        var environment = cached != null && cached.Stamp == stamp ? cached.Environment : CondaEnvironment.Read(prefix, reader);
        _condas.Set(share, key, new CachedConda(environment, stamp, now));
        return environment;
    }

    /// <summary>The analysis; null when <paramref name="mayRead"/> is false and the disk would have to be asked.</summary>
    private EnvironmentAnalysis? TryFind(string prefix, string basePrefix, string python, uint uid, bool mayRead)
    {
        if (prefix.Length == 0 || prefix[0] != '/' || prefix.Contains('\0', StringComparison.Ordinal) || basePrefix.Contains('\0', StringComparison.Ordinal))
        {
            return EnvironmentAnalysis.Unknown;
        }
        // A base environment is the facility's: read in full, the same for everyone. Anything else is read as the
        // record's user could, and remembered for that user only.
        bool shared = uid == 0 || _baseSet.Contains(prefix);
        uint? share = shared ? null : uid;
        var key = $"{prefix}\n{basePrefix}\n{python}";
        var now = Environment.TickCount64;
        if (_analyses.TryGet(share, key, out var cached) && now - cached.CheckedAtMs < _revalidateAfterMs)
        {
            return cached.Analysis;
        }
        if (!mayRead)
        {
            // Past the revalidation time, one record goes to the reading thread, which checks the environment again;
            // until it has, the others go on with what was known (without this, every record of a busy environment
            // waited at each revalidation, and the records waiting took the daemon past 40 MiB).
            if (cached != null && now - cached.RefreshingSinceMs < RefreshingMs)
            {
                return cached.Analysis;
            }
            if (cached != null)
            {
                _analyses.Set(share, key, cached with { RefreshingSinceMs = now });
            }
            return null;
        }
        var stamp = Stamp(prefix, basePrefix, python);
        if (cached != null && cached.Stamp == stamp)
        {
            _analyses.Set(share, key, new CachedEnvironment(cached.Analysis, stamp, now));
            return cached.Analysis;
        }
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (!shared && !_allowance.Allows(uid, started))
        {
            // Past the user's analysis time: what is known, or nothing, until the allowance refills.
            Interlocked.Increment(ref _limited);
            return cached?.Analysis ?? EnvironmentAnalysis.Unknown;
        }
        var reader = _baseSet.Contains(prefix) ? EnvironmentReader.Unbounded() : new EnvironmentReader(UserAccess.Of(uid));
        var analysis = Analyze(prefix, basePrefix, python, reader);
        if (!shared)
        {
            _allowance.Charge(uid, started, System.Diagnostics.Stopwatch.GetTimestamp());
        }
        if (reader.Exhausted)
        {
            Interlocked.Increment(ref _limited);
        }
        _analyses.Set(share, key, new CachedEnvironment(analysis, stamp, now));
        return analysis;
    }

    private EnvironmentStamp Stamp(string prefix, string basePrefix, string python) => new(
        EnvironmentStamp.Of(prefix + "/conda-meta"),
        python.Length > 0 ? EnvironmentStamp.Of(SitePackages.Folder(prefix, python)) : 0,
        basePrefix.Length > 0 && basePrefix != prefix ? EnvironmentStamp.Of(basePrefix + "/conda-meta") : 0,
        _bases.Length > 0 ? EnvironmentStamp.Of(_bases[0] + "/conda-meta") : 0);

    private EnvironmentAnalysis Analyze(string prefix, string basePrefix, string python, EnvironmentReader reader)
    {
        // What a folder the user cannot enter holds is none of their record's business.
        var marker = reader.Access.MayEnter(prefix) ? EnvironmentRootFinder.Probe(prefix) : PrefixMarker.None;
        // Python sets base_prefix apart from prefix only in a virtual environment (venv, or virtualenv before 20
        // without pyvenv.cfg).
        bool isVenv = marker == PrefixMarker.PyvenvCfg ||
            (marker == PrefixMarker.None && basePrefix.Length > 0 && basePrefix != prefix);
        var (kind, name) = _baseSet.Contains(prefix) ? (EnvironmentKind.BaseEnv, "base")
            : isVenv ? (_baseSet.Contains(basePrefix) ? EnvironmentKind.VenvOnBase : EnvironmentKind.Venv, PathPrefix.LastComponent(prefix))
            : marker == PrefixMarker.CondaMeta ? (IsBaseClone(prefix, reader) ? EnvironmentKind.BaseClone : EnvironmentKind.CondaEnv, PathPrefix.LastComponent(prefix))
            : prefix is "/usr" or "/usr/local" ? (EnvironmentKind.SystemPython, "system")
            : (EnvironmentKind.Other, "");

        // Conda differences describe the conda environment that provides the packages: a venv's base prefix (the
        // same packages as base for a venv on base, so none), the environment itself otherwise.
        var changes = CondaChanges(isVenv ? basePrefix : prefix, reader);
        if (kind != EnvironmentKind.BaseEnv && python.Length > 0)
        {
            // The base's own pip installs are the facility's, part of what base is; elsewhere they are the user's.
            var owned = marker == PrefixMarker.CondaMeta ? Conda(prefix, reader)?.OwnedDistInfos ?? NoDistInfos : NoDistInfos;
            changes = changes with { PipInstalled = SitePackages.PipInstalled(SitePackages.Folder(prefix, python), owned, reader) };
        }
        // Cut short, the changes would be wrong (packages not read look removed): the kind and name stand alone.
        if (reader.Exhausted)
        {
            return new EnvironmentAnalysis(kind, name, new EnvironmentChanges());
        }
        // What a user's files say goes into every summary of theirs: within the bounds the collector takes.
        changes = EnvironmentClip.Clip(changes, out int leftOut);
        if (leftOut > 0)
        {
            Interlocked.Increment(ref _limited);
        }
        return new EnvironmentAnalysis(kind, name, changes);
    }

    private bool IsBaseClone(string prefix, EnvironmentReader reader)
    {
        var environment = Conda(prefix, reader);
        if (environment == null)
        {
            return false;
        }
        foreach (var basePrefix in _bases)
        {
            if (BaseClone.IsCloneOf(environment, basePrefix, Conda(basePrefix)))
            {
                return true;
            }
        }
        return false;
    }

    private EnvironmentChanges CondaChanges(string condaPrefix, EnvironmentReader reader)
    {
        if (_bases.Length == 0 || condaPrefix.Length == 0 || condaPrefix == _bases[0])
        {
            return new EnvironmentChanges();
        }
        var environment = Conda(condaPrefix, reader);
        var baseEnvironment = Conda(_bases[0]);
        return environment == null || baseEnvironment == null
            ? new EnvironmentChanges()
            : CondaDiff.Between(baseEnvironment, environment);
    }
}
