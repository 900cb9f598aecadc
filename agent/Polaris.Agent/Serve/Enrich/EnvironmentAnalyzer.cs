using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>Works out an environment's kind, name and differences from the facility's base conda environment.</summary>
/// <remarks>
/// Reading <c>conda-meta/</c> costs milliseconds to seconds on a parallel file system, and thousands of ranks share
/// one environment; so analyses are cached per environment and only compared with the disk (a few <c>stat</c>
/// calls, see <see cref="EnvironmentStamp"/>) once per <c>revalidateAfter</c>. Thread-safe: two threads missing
/// the cache at once both analyse, and the second result replaces the first.
/// </remarks>
public sealed class EnvironmentAnalyzer
{
    private static readonly IReadOnlySet<string> NoDistInfos = new HashSet<string>();

    private readonly string[] _bases;
    private readonly HashSet<string> _baseSet;
    private readonly BoundedCache<CachedEnvironment> _analyses;
    private readonly BoundedCache<CachedConda> _condas;
    private readonly long _revalidateAfterMs;

    /// <param name="options">The base environments.</param>
    /// <param name="revalidateAfter">How long an analysis is trusted before the disk is asked whether it changed. Default 2 s.</param>
    /// <param name="capacity">Environments remembered; past it the cache starts over.</param>
    public EnvironmentAnalyzer(EnrichOptions options, TimeSpan? revalidateAfter = null, int capacity = 1024)
    {
        _bases = [.. options.BaseEnvironments.Select(PathPrefix.Normalize)];
        _baseSet = new HashSet<string>(_bases, StringComparer.Ordinal);
        _analyses = new BoundedCache<CachedEnvironment>(capacity);
        _condas = new BoundedCache<CachedConda>(capacity);
        _revalidateAfterMs = (long)(revalidateAfter ?? TimeSpan.FromSeconds(2)).TotalMilliseconds;
    }

    /// <summary><paramref name="raw"/> with its kind, name and changes; the user site is kept as the hook reported it.</summary>
    /// <param name="raw">The environment as the hook reported it.</param>
    /// <param name="pythonVersion">The interpreter's version, which names <c>lib/pythonX.Y</c>.</param>
    /// <param name="pythonPath">The process's <c>PYTHONPATH</c> entries, already cleaned.</param>
    public PythonEnvironment Analyze(PythonEnvironment raw, string pythonVersion, IReadOnlyList<string> pythonPath)
    {
        var analysis = Find(PathPrefix.Normalize(raw.Prefix), PathPrefix.Normalize(raw.BasePrefix), PythonVersion.MajorMinor(pythonVersion));
        return raw with
        {
            Kind = analysis.Kind,
            Name = analysis.Name,
            Changes = analysis.Changes with { UserSite = raw.Changes.UserSite, PythonPath = pythonPath },
        };
    }

    /// <summary>The records of the conda environment at <paramref name="prefix"/>; null when it has no readable <c>conda-meta/</c>.</summary>
    public CondaEnvironment? Conda(string prefix)
    {
        var now = Environment.TickCount64;
        if (_condas.TryGet(prefix, out var cached) && now - cached.CheckedAtMs < _revalidateAfterMs)
        {
            return cached.Environment;
        }
        var stamp = EnvironmentStamp.Of(prefix + "/conda-meta");
        var environment = cached != null && cached.Stamp == stamp ? cached.Environment : CondaEnvironment.Read(prefix);
        _condas.Set(prefix, new CachedConda(environment, stamp, now));
        return environment;
    }

    private EnvironmentAnalysis Find(string prefix, string basePrefix, string python)
    {
        if (prefix.Length == 0 || prefix[0] != '/' || prefix.Contains('\0', StringComparison.Ordinal) || basePrefix.Contains('\0', StringComparison.Ordinal))
        {
            return EnvironmentAnalysis.Unknown;
        }
        var key = $"{prefix}\n{basePrefix}\n{python}";
        var now = Environment.TickCount64;
        if (_analyses.TryGet(key, out var cached) && now - cached.CheckedAtMs < _revalidateAfterMs)
        {
            return cached.Analysis;
        }
        var stamp = Stamp(prefix, basePrefix, python);
        var analysis = cached != null && cached.Stamp == stamp ? cached.Analysis : Analyze(prefix, basePrefix, python);
        _analyses.Set(key, new CachedEnvironment(analysis, stamp, now));
        return analysis;
    }

    private EnvironmentStamp Stamp(string prefix, string basePrefix, string python) => new(
        EnvironmentStamp.Of(prefix + "/conda-meta"),
        python.Length > 0 ? EnvironmentStamp.Of(SitePackages.Folder(prefix, python)) : 0,
        basePrefix.Length > 0 && basePrefix != prefix ? EnvironmentStamp.Of(basePrefix + "/conda-meta") : 0,
        _bases.Length > 0 ? EnvironmentStamp.Of(_bases[0] + "/conda-meta") : 0);

    private EnvironmentAnalysis Analyze(string prefix, string basePrefix, string python)
    {
        var marker = EnvironmentRootFinder.Probe(prefix);
        // Python sets base_prefix apart from prefix only in a virtual environment (venv, or virtualenv before 20
        // without pyvenv.cfg).
        bool isVenv = marker == PrefixMarker.PyvenvCfg ||
            (marker == PrefixMarker.None && basePrefix.Length > 0 && basePrefix != prefix);
        var (kind, name) = _baseSet.Contains(prefix) ? (EnvironmentKind.BaseEnv, "base")
            : isVenv ? (_baseSet.Contains(basePrefix) ? EnvironmentKind.VenvOnBase : EnvironmentKind.Venv, PathPrefix.LastComponent(prefix))
            : marker == PrefixMarker.CondaMeta ? (IsBaseClone(prefix) ? EnvironmentKind.BaseClone : EnvironmentKind.CondaEnv, PathPrefix.LastComponent(prefix))
            : prefix is "/usr" or "/usr/local" ? (EnvironmentKind.SystemPython, "system")
            : (EnvironmentKind.Other, "");

        // Conda differences describe the conda environment that provides the packages: a venv's base prefix (the
        // same packages as base for a venv on base, so none), the environment itself otherwise.
        var changes = CondaChanges(isVenv ? basePrefix : prefix);
        if (kind != EnvironmentKind.BaseEnv && python.Length > 0)
        {
            // The base's own pip installs are the facility's, part of what base is; elsewhere they are the user's.
            var owned = marker == PrefixMarker.CondaMeta ? Conda(prefix)?.OwnedDistInfos ?? NoDistInfos : NoDistInfos;
            changes = changes with { PipInstalled = SitePackages.PipInstalled(SitePackages.Folder(prefix, python), owned) };
        }
        return new EnvironmentAnalysis(kind, name, changes);
    }

    private bool IsBaseClone(string prefix)
    {
        var environment = Conda(prefix);
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

    private EnvironmentChanges CondaChanges(string condaPrefix)
    {
        if (_bases.Length == 0 || condaPrefix.Length == 0 || condaPrefix == _bases[0])
        {
            return new EnvironmentChanges();
        }
        var environment = Conda(condaPrefix);
        var baseEnvironment = Conda(_bases[0]);
        return environment == null || baseEnvironment == null
            ? new EnvironmentChanges()
            : CondaDiff.Between(baseEnvironment, environment);
    }
}
