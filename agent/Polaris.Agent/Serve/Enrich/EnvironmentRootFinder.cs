using Polaris.Wire;

namespace Polaris.Agent.Serve.Enrich;

/// <summary>Finds the environment prefix a folder lies in by walking up its ancestors to the first one that holds
/// <c>conda-meta/</c> or <c>pyvenv.cfg</c>.</summary>
/// <remarks>Every folder visited on the way is cached, so the siblings and children of a folder seen once cost a
/// dictionary look-up: a record's ~600 modules live in a few hundred folders of a few environments.</remarks>
public sealed class EnvironmentRootFinder
{
    private readonly BoundedCache<EnvironmentRoot> _folders;

    /// <param name="capacity">Folders remembered; past it the cache starts over.</param>
    public EnvironmentRootFinder(int capacity = 16_384)
    {
        _folders = new BoundedCache<EnvironmentRoot>(capacity);
    }

    /// <summary>The innermost environment holding <paramref name="folder"/> (an absolute path without trailing slash),
    /// the folder itself included; <see cref="EnvironmentRoot.None"/> when there is none.</summary>
    /// <returns>False when <paramref name="budget"/> ran out on the way: nothing of that walk is cached, so a record
    /// cut short leaves no half-walked folders behind.</returns>
    public bool TryFind(ReadOnlySpan<char> folder, ProbeBudget budget, out EnvironmentRoot root)
    {
        List<string>? walked = null;
        while (true)
        {
            if (folder.Length == 0)
            {
                root = EnvironmentRoot.None;
                break;
            }
            if (_folders.TryGet(folder, out root))
            {
                break;
            }
            if (!budget.TrySpend(1))
            {
                return false;
            }
            var path = folder.ToString();
            (walked ??= []).Add(path);
            if (Probe(path) is var marker and not PrefixMarker.None)
            {
                root = new EnvironmentRoot(path, marker);
                break;
            }
            folder = PathPrefix.Parent(folder);
        }
        foreach (var path in walked ?? [])
        {
            _folders.Set(path, root);
        }
        return true;
    }

    /// <summary>What marks <paramref name="folder"/> as an environment prefix, looking at the folder itself only.</summary>
    public static PrefixMarker Probe(string folder)
    {
        // Exists() answers false for missing folders and permission errors alike: both mean "not an environment".
        if (Directory.Exists(folder + "/conda-meta"))
        {
            return PrefixMarker.CondaMeta;
        }
        return File.Exists(folder + "/pyvenv.cfg") ? PrefixMarker.PyvenvCfg : PrefixMarker.None;
    }
}
